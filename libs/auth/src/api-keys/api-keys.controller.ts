import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, UserPrincipal } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { CurrentUser } from '../access/current-user.decorator';
import { ApiKeyDto, ApiKeyIdParams, CreateApiKeyDto, CreatedApiKeyDto } from './api-key.dto';
import { ApiKeysService } from './api-keys.service';

/** Keys for machine clients (hydrology feed, SMS gateway callbacks), managed by the HQ. */
@ApiTags('auth: API keys')
@ApiBearerAuth()
@Controller('api-keys')
@Roles(['commander', 'duty_officer'])
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a key; the response holds the plaintext key, shown this once' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(400)
  create(@CurrentUser() actor: UserPrincipal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'All keys, newest first, revoked ones included (never the secret)' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  @ApiErrors()
  list(): Promise<ApiKeyDto[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key at once (idempotent)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  revoke(@CurrentUser() actor: UserPrincipal, @Param() params: ApiKeyIdParams): Promise<void> {
    return this.keys.revoke(actor, params.id);
  }
}

import { Body, Controller, Get, Header, Headers, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, AppError, CurrentPrincipal, Page, Principal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { capInvalid } from '../cap/cap.errors';
import { ListWarningsQuery, WarningDto, WarningPageDto } from './warning.dto';
import { WarningErrors } from './warning.errors';
import { WarningService } from './warning.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new AppError(WarningErrors.NotFound, 'warning id is not a UUID', [{ field: 'id', problem: 'must be a UUID' }]),
});

const XML = /^(application\/(cap\+)?xml|text\/xml)\s*(;|$)/i;

@ApiTags('feeds: warnings')
@ApiBearerAuth()
@Controller('warnings')
export class WarningController {
  constructor(private readonly warnings: WarningService) {}

  @Post()
  @Roles(['commander', 'duty_officer'], 'feeds:write')
  @ApiSecurity('api-key')
  @ApiConsumes('application/cap+xml', 'application/xml', 'text/xml', 'application/json')
  @ApiBody({ description: 'a CAP 1.2 alert as XML, or its JSON form (the same field names as the CAP elements)' })
  @ApiCreatedResponse({ type: WarningDto, description: 'a new warning' })
  @ApiOkResponse({ type: WarningDto, description: 'this identifier was already received: the existing warning' })
  @ApiErrors(400, 403, 413, 415, 422)
  async ingest(
    @CurrentPrincipal() p: Principal,
    @Headers('content-type') type: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WarningDto> {
    let result;
    if (XML.test(type ?? '')) {
      if (!Buffer.isBuffer(body) || !body.length) throw capInvalid('(body)', 'an XML body is required');
      result = await this.warnings.ingestXml(p, body);
    } else {
      result = await this.warnings.ingestJson(p, body);
    }
    res.status(result.created ? 201 : 200);
    return result.warning;
  }

  @Get()
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: WarningPageDto })
  @ApiErrors(400, 403, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListWarningsQuery): Promise<Page<WarningDto>> {
    return this.warnings.list(p, q);
  }

  @Get(':id')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: WarningDto, description: 'with its areas as GeoJSON' })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<WarningDto> {
    return this.warnings.get(p, id);
  }

  @Get(':id/cap')
  @Roles(ALL_ROLES)
  @Header('Content-Type', 'application/cap+xml; charset=utf-8')
  @ApiProduces('application/cap+xml')
  @ApiOkResponse({ description: 'the warning as a CAP 1.2 alert', schema: { type: 'string' } })
  @ApiErrors(404)
  cap(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<string> {
    return this.warnings.capXml(p, id);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, AppError, CurrentPrincipal, Page, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import { RegistryErrors } from '../registry.errors';
import { CreateHolderDto, HolderDto, HolderPageDto, ListHoldersQuery, UpdateHolderDto } from './holder.dto';
import { HolderService } from './holder.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () =>
    new AppError(RegistryErrors.HolderNotFound, 'holder id is not a UUID', [{ field: 'id', problem: 'must be a UUID' }]),
});

@ApiTags('registry: responsibility holders')
@ApiBearerAuth()
@Controller('holders')
export class HolderController {
  constructor(
    private readonly holders: HolderService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(ALL_ROLES, 'registry:read')
  @ApiOkResponse({ type: HolderPageDto })
  @ApiErrors(400, 404)
  list(@CurrentPrincipal() p: Principal, @Query() query: ListHoldersQuery): Promise<Page<HolderDto>> {
    return this.holders.list(p, query, this.config.registry.pageSizeDefault);
  }

  @Get(':id')
  @Roles(ALL_ROLES, 'registry:read')
  @ApiOkResponse({ type: HolderDto })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<HolderDto> {
    return this.holders.get(p, id);
  }

  @Get(':id/chain')
  @Roles(ALL_ROLES, 'registry:read')
  @ApiOkResponse({ type: [HolderDto], description: 'the 包保 chain above this holder, nearest superior first' })
  @ApiErrors(404)
  chain(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<HolderDto[]> {
    return this.holders.chain(p, id);
  }

  @Post()
  @Roles(REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: HolderDto })
  @ApiErrors(400, 404, 409, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateHolderDto): Promise<HolderDto> {
    return this.holders.create(p, dto);
  }

  @Patch(':id')
  @Roles(REGISTRY_WRITERS)
  @ApiOkResponse({ type: HolderDto })
  @ApiErrors(400, 404, 409, 422)
  update(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: UpdateHolderDto): Promise<HolderDto> {
    return this.holders.update(p, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<void> {
    return this.holders.remove(p, id);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Page, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import { CreateDepotDto, DepotDto, DepotPageDto, ListDepotsQuery, UpdateDepotDto } from './depot.dto';
import { DepotService } from './depot.service';

@ApiTags('geo: supplies')
@ApiBearerAuth()
@Controller('supply-depots')
export class DepotController {
  constructor(
    private readonly depots: DepotService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: DepotPageDto })
  @ApiErrors(400, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListDepotsQuery): Promise<Page<DepotDto>> {
    return this.depots.list(p, q, this.config.registry.pageSizeDefault);
  }

  @Get(':code')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: DepotDto, description: 'with its stock' })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<DepotDto> {
    return this.depots.get(p, code);
  }

  @Post()
  @Roles(REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: DepotDto })
  @ApiErrors(400, 404, 409, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateDepotDto): Promise<DepotDto> {
    return this.depots.create(p, dto);
  }

  @Patch(':code')
  @Roles(REGISTRY_WRITERS)
  @ApiOkResponse({ type: DepotDto })
  @ApiErrors(400, 404, 422)
  update(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: UpdateDepotDto): Promise<DepotDto> {
    return this.depots.update(p, code, dto);
  }

  @Delete(':code')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Delete a depot that holds nothing (409 DEPOT_HAS_STOCK otherwise)' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<void> {
    return this.depots.remove(p, code);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Page, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import { CreateDivisionDto, DivisionDto, DivisionPageDto, ListDivisionsQuery, UpdateDivisionDto } from './division.dto';
import { DivisionService } from './division.service';

@ApiTags('registry: divisions')
@ApiBearerAuth()
@Controller('divisions')
export class DivisionController {
  constructor(
    private readonly divisions: DivisionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(ALL_ROLES, 'registry:read')
  @ApiOkResponse({ type: DivisionPageDto })
  @ApiErrors(400)
  list(@CurrentPrincipal() p: Principal, @Query() query: ListDivisionsQuery): Promise<Page<DivisionDto>> {
    return this.divisions.list(p, query, this.config.registry.pageSizeDefault);
  }

  @Get(':code')
  @Roles(ALL_ROLES, 'registry:read')
  @ApiOkResponse({ type: DivisionDto })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<DivisionDto> {
    return this.divisions.get(p, code);
  }

  @Post()
  @Roles(REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: DivisionDto })
  @ApiErrors(400, 404, 409, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateDivisionDto): Promise<DivisionDto> {
    return this.divisions.create(p, dto);
  }

  @Patch(':code')
  @Roles(REGISTRY_WRITERS)
  @ApiOkResponse({ type: DivisionDto })
  @ApiErrors(400, 404)
  update(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: UpdateDivisionDto): Promise<DivisionDto> {
    return this.divisions.update(p, code, dto);
  }

  @Delete(':code')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<void> {
    return this.divisions.remove(p, code);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Page, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import { CreateRosterDto, ListRostersQuery, RosterDto, RosterPageDto, UpdateRosterDto } from './roster.dto';
import { RosterService } from './roster.service';

@ApiTags('registry: duty rosters')
@ApiBearerAuth()
@Controller('duty-rosters')
export class RosterController {
  constructor(
    private readonly rosters: RosterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: RosterPageDto })
  @ApiErrors(400, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListRostersQuery): Promise<Page<RosterDto>> {
    return this.rosters.list(p, q, this.config.registry.pageSizeDefault);
  }

  @Get(':id')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: RosterDto })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<RosterDto> {
    return this.rosters.get(p, id);
  }

  @Post()
  @Roles(REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: RosterDto })
  @ApiErrors(400, 404, 409, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateRosterDto): Promise<RosterDto> {
    return this.rosters.create(p, dto);
  }

  @Patch(':id')
  @Roles(REGISTRY_WRITERS)
  @ApiOkResponse({ type: RosterDto })
  @ApiErrors(400, 404, 409, 422)
  update(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: UpdateRosterDto): Promise<RosterDto> {
    return this.rosters.update(p, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiNoContentResponse()
  @ApiErrors(404)
  remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    return this.rosters.remove(p, id);
  }
}

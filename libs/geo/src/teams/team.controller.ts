import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Page, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import { CreateTeamDto, ListTeamsQuery, TeamDto, TeamPageDto, TeamStatusDto, UpdateTeamDto } from './team.dto';
import { TeamService } from './team.service';

@ApiTags('geo: rescue teams')
@ApiBearerAuth()
@Controller('rescue-teams')
export class TeamController {
  constructor(
    private readonly teams: TeamService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: TeamPageDto })
  @ApiErrors(400, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListTeamsQuery): Promise<Page<TeamDto>> {
    return this.teams.list(p, q, this.config.registry.pageSizeDefault);
  }

  @Get(':code')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: TeamDto })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<TeamDto> {
    return this.teams.get(p, code);
  }

  @Post()
  @Roles(REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: TeamDto })
  @ApiErrors(400, 404, 409, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateTeamDto): Promise<TeamDto> {
    return this.teams.create(p, dto);
  }

  @Patch(':code')
  @Roles(REGISTRY_WRITERS)
  @ApiOkResponse({ type: TeamDto })
  @ApiErrors(400, 404, 422)
  update(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: UpdateTeamDto): Promise<TeamDto> {
    return this.teams.update(p, code, dto);
  }

  @Post(':code/status')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Standby, deployed, resting or unavailable' })
  @ApiOkResponse({ type: TeamDto })
  @ApiErrors(400, 404)
  setStatus(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: TeamStatusDto): Promise<TeamDto> {
    return this.teams.setStatus(p, code, dto.status);
  }

  @Delete(':code')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiNoContentResponse()
  @ApiErrors(404)
  remove(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<void> {
    return this.teams.remove(p, code);
  }
}

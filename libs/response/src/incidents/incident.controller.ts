import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal, Role } from '@fangxun/common';
import { CurrentPrincipal, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import {
  ChangeLevelDto,
  ConfirmIncidentDto,
  DismissIncidentDto,
  EndIncidentDto,
  IncidentDto,
  LevelChangeDto,
  ListIncidentsQuery,
  MeasureDto,
  SetMeasureDto,
  StartIncidentDto,
  WidenScopeDto,
} from './incident.dto';
import { toIncidentDto } from './incident.mapper';
import { IncidentService } from './incident.service';
import { IncidentCommands } from './incident-commands';

/** Only a commander changes a response's level or scope (README § Roles). */
export const LEVEL_CHANGERS: readonly Role[] = ['commander'];
export const RESPONSE_READERS: readonly Role[] = ['commander', 'duty_officer', 'auditor', 'town_admin', 'village_admin'];
const MEASURE_WRITERS: readonly Role[] = ['commander', 'duty_officer', 'town_admin'];

@ApiTags('response (1618)')
@ApiBearerAuth()
@Controller('response/incidents')
export class IncidentController {
  constructor(
    private readonly commands: IncidentCommands,
    private readonly incidents: IncidentService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(RESPONSE_READERS)
  @ApiOkResponse({ type: [IncidentDto], description: 'newest first; a town sees the incidents that reach it, and its own part' })
  @ApiErrors(400)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListIncidentsQuery): Promise<IncidentDto[]> {
    return this.incidents.list(p, q);
  }

  @Get(':id')
  @Roles(RESPONSE_READERS)
  @ApiOkResponse({ type: IncidentDto })
  @ApiErrors(403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<IncidentDto> {
    return this.incidents.getFor(p, id);
  }

  @Get(':id/history')
  @Roles(RESPONSE_READERS)
  @ApiOkResponse({ type: [LevelChangeDto], description: 'every proposal and level change: who, when, why, what it re-scoped' })
  @ApiErrors(403, 404)
  history(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<LevelChangeDto[]> {
    return this.incidents.history(p, id);
  }

  @Get(':id/measures')
  @Roles(RESPONSE_READERS)
  @ApiOkResponse({ type: [MeasureDto], description: "the level's mandatory measures per town (yours only for a town)" })
  @ApiErrors(403, 404)
  measures(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<MeasureDto[]> {
    return this.incidents.measuresOf(p, id);
  }

  @Patch(':id/measures/:measureId')
  @Roles(MEASURE_WRITERS)
  @ApiOkResponse({ type: MeasureDto })
  @ApiErrors(400, 403, 404)
  setMeasure(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('measureId') measureId: string,
    @Body() dto: SetMeasureDto,
  ): Promise<MeasureDto> {
    return this.incidents.setMeasure(p, id, /^\d{1,18}$/.test(measureId) ? measureId : '0', dto);
  }

  @Post()
  @Roles(LEVEL_CHANGERS)
  @ApiCreatedResponse({ type: IncidentDto, description: 'started at once (no proposal); its people are woken, its checklist added' })
  @ApiErrors(400, 403, 409, 422)
  async start(@CurrentPrincipal() p: Principal, @Body() dto: StartIncidentDto): Promise<IncidentDto> {
    return toIncidentDto(await this.commands.start(p, dto), this.config, p);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles(LEVEL_CHANGERS)
  @ApiOkResponse({ type: IncidentDto, description: "a rule's proposal becomes the response" })
  @ApiErrors(400, 403, 404, 409)
  async confirm(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ConfirmIncidentDto,
  ): Promise<IncidentDto> {
    return toIncidentDto(await this.commands.confirm(p, id, dto), this.config, p);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @Roles(LEVEL_CHANGERS)
  @ApiOkResponse({ type: IncidentDto })
  @ApiErrors(400, 403, 404, 409)
  async dismiss(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DismissIncidentDto,
  ): Promise<IncidentDto> {
    return toIncidentDto(await this.commands.dismiss(p, id, dto), this.config, p);
  }

  @Post(':id/raise')
  @HttpCode(200)
  @Roles(LEVEL_CHANGERS)
  @ApiOkResponse({
    type: IncidentDto,
    description: "running wake-up calls in scope take the level's deadlines at once; its people are woken",
  })
  @ApiErrors(400, 403, 404, 409)
  async raise(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ChangeLevelDto): Promise<IncidentDto> {
    return toIncidentDto(await this.commands.changeLevel(p, id, 'raise', dto), this.config, p);
  }

  @Post(':id/lower')
  @HttpCode(200)
  @Roles(LEVEL_CHANGERS)
  @ApiOkResponse({ type: IncidentDto, description: 'silent calls get the longer deadlines; answers already given stay as they are' })
  @ApiErrors(400, 403, 404, 409)
  async lower(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ChangeLevelDto): Promise<IncidentDto> {
    return toIncidentDto(await this.commands.changeLevel(p, id, 'lower', dto), this.config, p);
  }

  @Post(':id/widen')
  @HttpCode(200)
  @Roles(LEVEL_CHANGERS)
  @ApiOkResponse({ type: IncidentDto, description: "the new towns' people are woken and their checklist added" })
  @ApiErrors(400, 403, 404, 409, 422)
  async widen(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: WidenScopeDto): Promise<IncidentDto> {
    return toIncidentDto(await this.commands.widen(p, id, dto), this.config, p);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles(LEVEL_CHANGERS)
  @ApiOkResponse({ type: IncidentDto, description: '409 INCIDENT_HAS_OPEN_WORK names the rule (open transfer orders, …) unless force' })
  @ApiErrors(400, 403, 404, 409)
  async end(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EndIncidentDto): Promise<IncidentDto> {
    return toIncidentDto(await this.commands.end(p, id, dto), this.config, p);
  }
}

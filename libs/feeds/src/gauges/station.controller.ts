import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { CreateStationDto, FeedHealthAlertDto, ListFeedHealthQuery, ListStationsQuery, StationDto, UpdateStationDto } from './station.dto';
import { StationService } from './station.service';
import { StationLivenessService } from './station-liveness.service';

@ApiTags('feeds: gauges')
@ApiBearerAuth()
@Controller('stations')
export class StationController {
  constructor(private readonly stations: StationService) {}

  @Get()
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: [StationDto] })
  @ApiErrors(400, 403, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListStationsQuery): Promise<StationDto[]> {
    return this.stations.list(p, q);
  }

  @Get(':code')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: StationDto })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<StationDto> {
    return this.stations.get(p, code);
  }

  @Post()
  @Roles(REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: StationDto })
  @ApiErrors(400, 403, 404, 409, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateStationDto): Promise<StationDto> {
    return this.stations.create(p, dto);
  }

  @Patch(':code')
  @Roles(REGISTRY_WRITERS)
  @ApiOkResponse({ type: StationDto })
  @ApiErrors(400, 403, 404, 409, 422)
  update(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: UpdateStationDto): Promise<StationDto> {
    return this.stations.update(p, code, dto);
  }

  @Delete(':code')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<void> {
    return this.stations.remove(p, code);
  }
}

@ApiTags('feeds: gauges')
@ApiBearerAuth()
@Controller('feed-health')
export class FeedHealthController {
  constructor(private readonly liveness: StationLivenessService) {}

  @Get('alerts')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: [FeedHealthAlertDto], description: 'stations that stopped reporting, newest first' })
  @ApiErrors(400)
  alerts(@CurrentPrincipal() p: Principal, @Query() q: ListFeedHealthQuery): Promise<FeedHealthAlertDto[]> {
    return this.liveness.listAlerts(p, q.open, q.limit ?? 200);
  }
}

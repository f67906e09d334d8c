import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { FeatureCollectionDto, FeatureImportReportDto, ImportGeoJsonQuery } from '../point-features/feature-import.dto';
import { TeamFilterQuery } from './team.dto';
import { TeamGeoJsonService } from './team-geojson.service';

/** Registered before TeamController so that /rescue-teams/export is not read as a team code. */
@ApiTags('geo: rescue teams')
@ApiBearerAuth()
@Controller('rescue-teams')
export class TeamGeoJsonController {
  constructor(private readonly geojson: TeamGeoJsonService) {}

  @Get('export')
  @Roles(ALL_ROLES)
  @Header('Content-Type', 'application/geo+json')
  @ApiProduces('application/geo+json')
  @ApiOperation({ summary: 'Rescue teams in your area as a GeoJSON FeatureCollection (geometry: the base)' })
  @ApiOkResponse({ type: FeatureCollectionDto })
  @ApiErrors(400, 404)
  export(@CurrentPrincipal() p: Principal, @Query() q: TeamFilterQuery): Promise<FeatureCollectionDto> {
    return this.geojson.export(p, q);
  }

  @Post('import')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({
    summary: 'Upsert rescue teams by code from a GeoJSON FeatureCollection of Points',
    description: 'Properties are the create fields except status (live; ignored) and base (the geometry). Idempotent.',
  })
  @ApiConsumes('application/geo+json', 'application/json')
  @ApiBody({ type: FeatureCollectionDto })
  @ApiOkResponse({ type: FeatureImportReportDto })
  @ApiErrors(400, 409, 413, 415)
  import(@CurrentPrincipal() p: Principal, @Query() q: ImportGeoJsonQuery, @Body() body: unknown): Promise<FeatureImportReportDto> {
    return this.geojson.import(p, body, { repair: q.repair ?? false, dryRun: q.dryRun ?? false });
  }
}

import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import type { FeatureCollection } from '../geojson/geojson.types';
import { FeatureCollectionDto, ImportGeoJsonQuery } from '../point-features/feature-import.dto';
import { BoundaryExportQuery, BoundaryImportReportDto } from './division-boundaries.dto';
import { DivisionBoundariesService } from './division-boundaries.service';

@ApiTags('geo: division boundaries')
@ApiBearerAuth()
@Controller('division-boundaries')
export class DivisionBoundariesController {
  constructor(private readonly boundaries: DivisionBoundariesService) {}

  @Get('export')
  @Roles(ALL_ROLES, 'registry:read')
  @Header('Content-Type', 'application/geo+json')
  @ApiProduces('application/geo+json')
  @ApiOperation({ summary: 'Boundaries of the divisions in your area as a GeoJSON FeatureCollection (MultiPolygons)' })
  @ApiOkResponse({ type: FeatureCollectionDto })
  @ApiErrors(400, 404)
  export(@CurrentPrincipal() p: Principal, @Query() q: BoundaryExportQuery): Promise<FeatureCollection> {
    return this.boundaries.export(p, q);
  }

  @Post('import')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({
    summary: 'Set boundaries of existing divisions from a FeatureCollection (properties.code names the division)',
    description: 'All good features are written in one transaction; bad ones are reported with features[i].x. Idempotent.',
  })
  @ApiConsumes('application/geo+json', 'application/json')
  @ApiBody({ type: FeatureCollectionDto })
  @ApiOkResponse({ type: BoundaryImportReportDto })
  @ApiErrors(400, 413, 415)
  import(@CurrentPrincipal() p: Principal, @Query() q: ImportGeoJsonQuery, @Body() body: unknown): Promise<BoundaryImportReportDto> {
    return this.boundaries.import(p, body, { repair: q.repair ?? false, dryRun: q.dryRun ?? false });
  }
}

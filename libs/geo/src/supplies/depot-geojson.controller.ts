import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { FeatureCollectionDto, FeatureImportReportDto, ImportGeoJsonQuery } from '../point-features/feature-import.dto';
import { DepotFilterQuery } from './depot.dto';
import { DepotGeoJsonService } from './depot-geojson.service';

/** Registered before DepotController so that /supply-depots/export is not read as a depot code. */
@ApiTags('geo: supplies')
@ApiBearerAuth()
@Controller('supply-depots')
export class DepotGeoJsonController {
  constructor(private readonly geojson: DepotGeoJsonService) {}

  @Get('export')
  @Roles(ALL_ROLES)
  @Header('Content-Type', 'application/geo+json')
  @ApiProduces('application/geo+json')
  @ApiOperation({ summary: 'Depots in your area as a GeoJSON FeatureCollection, each with its stock in properties' })
  @ApiOkResponse({ type: FeatureCollectionDto })
  @ApiErrors(400, 404)
  export(@CurrentPrincipal() p: Principal, @Query() q: DepotFilterQuery): Promise<FeatureCollectionDto> {
    return this.geojson.export(p, q);
  }

  @Post('import')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({
    summary: 'Upsert depots by code from a GeoJSON FeatureCollection of Points',
    description:
      'Properties are the create fields; stock, divisionName and managerName are ignored (stock moves with a reason). Idempotent.',
  })
  @ApiConsumes('application/geo+json', 'application/json')
  @ApiBody({ type: FeatureCollectionDto })
  @ApiOkResponse({ type: FeatureImportReportDto })
  @ApiErrors(400, 409, 413, 415)
  import(@CurrentPrincipal() p: Principal, @Query() q: ImportGeoJsonQuery, @Body() body: unknown): Promise<FeatureImportReportDto> {
    return this.geojson.import(p, body, { repair: q.repair ?? false, dryRun: q.dryRun ?? false });
  }
}

import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { FeatureCollectionDto, FeatureImportReportDto, ImportGeoJsonQuery } from '../point-features/feature-import.dto';
import { ShelterFilterQuery } from './shelter.dto';
import { ShelterGeoJsonService } from './shelter-geojson.service';

/** Registered before ShelterController so that /shelters/export is not read as the shelter "export". */
@ApiTags('geo: shelters')
@ApiBearerAuth()
@Controller('shelters')
export class ShelterGeoJsonController {
  constructor(private readonly geojson: ShelterGeoJsonService) {}

  @Get('export')
  @Roles(ALL_ROLES)
  @Header('Content-Type', 'application/geo+json')
  @ApiProduces('application/geo+json')
  @ApiOperation({ summary: 'Shelters in your area as a GeoJSON FeatureCollection (properties: the create fields, plus live figures)' })
  @ApiOkResponse({ type: FeatureCollectionDto })
  @ApiErrors(400, 404)
  export(@CurrentPrincipal() p: Principal, @Query() q: ShelterFilterQuery): Promise<FeatureCollectionDto> {
    return this.geojson.export(p, q);
  }

  @Post('import')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({
    summary: 'Upsert shelters by code from a GeoJSON FeatureCollection of Points',
    description:
      'Properties are the create fields (geometry is the location); occupancy, reserved, freePlaces, divisionName and managerName ' +
      'are ignored. Good features are written in one transaction, bad ones reported with features[i].properties.x. Idempotent.',
  })
  @ApiConsumes('application/geo+json', 'application/json')
  @ApiBody({ type: FeatureCollectionDto })
  @ApiOkResponse({ type: FeatureImportReportDto })
  @ApiErrors(400, 409, 413, 415)
  import(@CurrentPrincipal() p: Principal, @Query() q: ImportGeoJsonQuery, @Body() body: unknown): Promise<FeatureImportReportDto> {
    return this.geojson.import(p, body, { repair: q.repair ?? false, dryRun: q.dryRun ?? false });
  }
}

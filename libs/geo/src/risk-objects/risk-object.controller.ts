import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Page, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import type { FeatureCollection } from '../geojson/geojson.types';
import { ATTRIBUTE_CLASSES } from './dto/risk-attributes.dto';
import { ImportRiskObjectsQuery, RiskObjectImportReportDto } from './dto/risk-object-geojson.dto';
import { CreateRiskObjectDto, UpdateRiskObjectDto } from './dto/risk-object-input.dto';
import {
  ListRiskObjectsQuery,
  RiskObjectDto,
  RiskObjectFilterQuery,
  RiskObjectPageDto,
  RiskObjectSummaryDto,
  RiskStatusResultDto,
  SetRiskStatusDto,
} from './dto/risk-object-view.dto';
import { ReportVesselPositionDto, VesselHistoryQuery, VesselPositionDto, VesselPositionResultDto } from './dto/vessel-position.dto';
import { RiskObjectService } from './risk-object.service';
import type { RiskObjectProps } from './risk-object.types';
import { RiskObjectGeoJsonService } from './risk-object-geojson.service';
import { VesselPositionService } from './vessel-position.service';

/** Routes with a fixed segment (`export`, `import`) are declared before `:code` so they are matched first. */
@ApiTags('geo: risk objects')
@ApiBearerAuth()
@ApiExtraModels(...Object.values(ATTRIBUTE_CLASSES))
@Controller('risk-objects')
export class RiskObjectController {
  constructor(
    private readonly objects: RiskObjectService,
    private readonly geojson: RiskObjectGeoJsonService,
    private readonly vessels: VesselPositionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(ALL_ROLES, 'registry:read')
  @ApiOkResponse({ type: RiskObjectPageDto })
  @ApiErrors(400, 404)
  list(@CurrentPrincipal() p: Principal, @Query() query: ListRiskObjectsQuery): Promise<Page<RiskObjectSummaryDto>> {
    return this.objects.list(p, query, this.config.registry.pageSizeDefault);
  }

  @Get('export')
  @Roles(ALL_ROLES, 'registry:read')
  @Header('Content-Type', 'application/geo+json')
  @ApiProduces('application/geo+json')
  @ApiOperation({ summary: 'RFC 7946 FeatureCollection; each feature’s properties are exactly what import reads' })
  @ApiOkResponse({ schema: { type: 'object', properties: { type: { example: 'FeatureCollection' }, features: { type: 'array' } } } })
  @ApiErrors(400, 404)
  export(@CurrentPrincipal() p: Principal, @Query() query: RiskObjectFilterQuery): Promise<FeatureCollection<RiskObjectProps>> {
    return this.geojson.export(p, query);
  }

  @Post('import')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({
    summary: 'Bulk import of risk objects from GeoJSON',
    description:
      'Body: FeatureCollection (application/geo+json or application/json); properties = the create body without geometry. ' +
      'Geometries are checked (CRS WGS 84 or CGCS2000, limits, ST_IsValid, winding) and repaired only with repair=true; ' +
      'properties are checked feature by feature; good features are upserted by code in one transaction. ' +
      'A feature outside your area is rejected on its own (code OUT_OF_SCOPE); the rest of the file is still imported.',
  })
  @ApiConsumes('application/geo+json', 'application/json')
  @ApiBody({ schema: { type: 'object', required: ['type', 'features'], properties: { type: { example: 'FeatureCollection' } } } })
  @ApiOkResponse({ type: RiskObjectImportReportDto })
  @ApiErrors(400, 413, 415)
  import(
    @CurrentPrincipal() p: Principal,
    @Query() query: ImportRiskObjectsQuery,
    @Body() body: unknown,
  ): Promise<RiskObjectImportReportDto> {
    return this.geojson.import(p, body, { repair: query.repair ?? false, dryRun: query.dryRun ?? false });
  }

  @Get(':code')
  @Roles(ALL_ROLES, 'registry:read')
  @ApiOkResponse({ type: RiskObjectDto })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<RiskObjectDto> {
    return this.objects.get(p, code);
  }

  @Post()
  @Roles(REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: RiskObjectDto })
  @ApiErrors(400, 404, 409, 413, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateRiskObjectDto): Promise<RiskObjectDto> {
    return this.objects.create(p, dto);
  }

  @Patch(':code')
  @Roles(REGISTRY_WRITERS)
  @ApiOkResponse({ type: RiskObjectDto })
  @ApiErrors(400, 404, 409, 413, 422)
  update(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: UpdateRiskObjectDto): Promise<RiskObjectDto> {
    return this.objects.update(p, code, dto);
  }

  @Delete(':code')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<void> {
    return this.objects.remove(p, code);
  }

  @Post(':code/status')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({
    summary: 'Set normal / prepare (准备转移) / evacuate (立即转移) / cleared, with the reason; the same status again is a no-op',
  })
  @ApiOkResponse({ type: RiskStatusResultDto })
  @ApiErrors(400, 404)
  setStatus(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: SetRiskStatusDto): Promise<RiskStatusResultDto> {
    return this.objects.changeStatus(p, code, dto);
  }

  @Post(':code/positions')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Fishing boats: report a position; kept in history, the boat moves only to a newer one' })
  @ApiOkResponse({ type: VesselPositionResultDto })
  @ApiErrors(400, 404, 422)
  reportPosition(
    @CurrentPrincipal() p: Principal,
    @Param('code') code: string,
    @Body() dto: ReportVesselPositionDto,
  ): Promise<VesselPositionResultDto> {
    return this.vessels.report(p, code, dto);
  }

  @Get(':code/positions')
  @Roles(ALL_ROLES, 'registry:read')
  @ApiOkResponse({ type: [VesselPositionDto], description: 'newest first' })
  @ApiErrors(400, 404)
  positions(
    @CurrentPrincipal() p: Principal,
    @Param('code') code: string,
    @Query() query: VesselHistoryQuery,
  ): Promise<VesselPositionDto[]> {
    return this.vessels.history(p, code, query.limit ?? 100);
  }
}

import { Module } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { OutboxModule } from '@fangxun/database';
import { RegistryModule } from '@fangxun/registry';
import { DivisionBoundariesController } from './division-boundaries/division-boundaries.controller';
import { DivisionBoundariesService } from './division-boundaries/division-boundaries.service';
import { GeoJsonChecker } from './geojson/geojson-checker.service';
import { GeometryCheckRepository } from './geojson/geometry-check.repository';
import { PlaceResolver } from './point-features/place.resolver';
import { PointFeatureImporter } from './point-features/point-feature-importer';
import { RiskObjectController } from './risk-objects/risk-object.controller';
import { RiskObjectRepository } from './risk-objects/risk-object.repository';
import { RiskObjectService } from './risk-objects/risk-object.service';
import { RiskObjectDetailsRepository } from './risk-objects/risk-object-details.repository';
import { RiskObjectGeoJsonService } from './risk-objects/risk-object-geojson.service';
import { RiskObjectPlanner } from './risk-objects/risk-object-planner';
import { RiskObjectWriter } from './risk-objects/risk-object-writer';
import { VesselPositionRepository } from './risk-objects/vessel-position.repository';
import { VesselPositionService } from './risk-objects/vessel-position.service';
import { ShelterController } from './shelters/shelter.controller';
import { ShelterRepository } from './shelters/shelter.repository';
import { ShelterService } from './shelters/shelter.service';
import { ShelterGeoJsonController } from './shelters/shelter-geojson.controller';
import { ShelterGeoJsonService } from './shelters/shelter-geojson.service';
import { ShelterOccupancyService } from './shelters/shelter-occupancy.service';
import { IntersectingService } from './spatial/intersecting.service';
import { NearestSheltersService } from './spatial/nearest-shelters.service';
import { SpatialController } from './spatial/spatial.controller';
import { SPATIAL_PROVIDERS } from './spatial/spatial.providers';
import { WhoMustAnswerService } from './spatial/who-must-answer.service';
import { DepotController } from './supplies/depot.controller';
import { DepotRepository } from './supplies/depot.repository';
import { DepotService } from './supplies/depot.service';
import { DepotGeoJsonController } from './supplies/depot-geojson.controller';
import { DepotGeoJsonService } from './supplies/depot-geojson.service';
import { StockController } from './supplies/stock.controller';
import { StockRepository } from './supplies/stock.repository';
import { StockService } from './supplies/stock.service';
import { TeamController } from './teams/team.controller';
import { TeamRepository } from './teams/team.repository';
import { TeamService } from './teams/team.service';
import { TeamGeoJsonController } from './teams/team-geojson.controller';
import { TeamGeoJsonService } from './teams/team-geojson.service';

/**
 * Risk objects of the eight risk lists, shelters, rescue teams and supplies, and the spatial
 * questions the command room asks of them. Exports services only.
 */
@Module({
  imports: [AuditModule, RegistryModule, OutboxModule],
  controllers: [
    RiskObjectController,
    // GeoJSON controllers before CRUD ones: '/shelters/export' must not be taken for a code.
    ShelterGeoJsonController,
    ShelterController,
    TeamGeoJsonController,
    TeamController,
    DepotGeoJsonController,
    DepotController,
    StockController,
    SpatialController,
    DivisionBoundariesController,
  ],
  providers: [
    Clock,
    GeometryCheckRepository,
    GeoJsonChecker,
    RiskObjectRepository,
    RiskObjectDetailsRepository,
    RiskObjectPlanner,
    RiskObjectWriter,
    RiskObjectService,
    RiskObjectGeoJsonService,
    VesselPositionRepository,
    VesselPositionService,
    PlaceResolver,
    PointFeatureImporter,
    ShelterRepository,
    ShelterOccupancyService,
    ShelterService,
    ShelterGeoJsonService,
    TeamRepository,
    TeamService,
    TeamGeoJsonService,
    DepotRepository,
    StockRepository,
    DepotService,
    StockService,
    DepotGeoJsonService,
    ...SPATIAL_PROVIDERS,
    DivisionBoundariesService,
  ],
  exports: [GeoJsonChecker, RiskObjectService, ShelterService, NearestSheltersService, WhoMustAnswerService, IntersectingService],
})
export class GeoModule {}

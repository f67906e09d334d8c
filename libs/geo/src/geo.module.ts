import { Module } from '@nestjs/common';
import { RegistryModule } from '@fangxun/registry';
import { GeoJsonChecker } from './geojson/geojson-checker.service';
import { GeometryCheckRepository } from './geojson/geometry-check.repository';

/**
 * Risk objects of the eight risk lists, shelters, rescue teams and supplies, and the spatial
 * questions the command room asks of them. Exports services only.
 */
@Module({
  imports: [RegistryModule],
  providers: [GeometryCheckRepository, GeoJsonChecker],
  exports: [GeoJsonChecker],
})
export class GeoModule {}

import { Module } from '@nestjs/common';
import { RegistryModule } from '@fangxun/registry';
import { GeoSeedService } from './geo-seed.service';
import { GeoSeedFrameRepository } from './geo-seed-frame.repository';
import { GeoSeedShapesRepository } from './geo-seed-shapes.repository';
import { PlaceSeedRepository } from './place-seed.repository';
import { RiskSeedRepository } from './risk-seed.repository';

/**
 * The Linhai demo geo seed, kept out of GeoModule on purpose: it needs @faker-js/faker, a
 * devDependency, so only scripts/seed.ts and the tests import it (`@fangxun/geo/seed`), never
 * the api or worker. Needs ConfigModule and DatabaseModule from the importing root, and the
 * registry seed to have run (it reads the divisions and holders).
 */
@Module({
  imports: [RegistryModule],
  providers: [GeoSeedFrameRepository, GeoSeedShapesRepository, RiskSeedRepository, PlaceSeedRepository, GeoSeedService],
  exports: [GeoSeedService],
})
export class GeoSeedModule {}

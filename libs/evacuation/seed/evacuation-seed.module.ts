import { Module } from '@nestjs/common';
import { HouseholdRepository } from '@fangxun/evacuation';
import { GeoModule } from '@fangxun/geo';
import { RegistryModule } from '@fangxun/registry';
import { EvacuationSeedService } from './evacuation-seed.service';

/**
 * The Linhai demo household seed, kept out of EvacuationModule (it uses @faker-js/faker, a
 * devDependency): only scripts/seed.ts and the tests import it, by relative path. Needs the
 * geo seed to have run.
 */
@Module({
  imports: [RegistryModule, GeoModule],
  providers: [HouseholdRepository, EvacuationSeedService],
  exports: [EvacuationSeedService],
})
export class EvacuationSeedModule {}

import { Module } from '@nestjs/common';
import { RegistrySeedRepository } from './registry-seed.repository';
import { RegistrySeedService } from './registry-seed.service';

/**
 * The Linhai demo seed, kept out of RegistryModule on purpose: it needs @faker-js/faker, a
 * devDependency, so only scripts/seed.ts and the tests import it (`@fangxun/registry/seed`), never
 * the api or worker. Needs ConfigModule and DatabaseModule from the importing root.
 */
@Module({
  providers: [RegistrySeedRepository, RegistrySeedService],
  exports: [RegistrySeedService],
})
export class RegistrySeedModule {}

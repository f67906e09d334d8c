import { Module } from '@nestjs/common';
import { GeoModule } from '@fangxun/geo';
import { GaugeSeedRepository } from './gauge-seed.repository';
import { GaugeSeedService } from './gauge-seed.service';

/**
 * The Linhai demo gauge network, kept out of FeedsModule: only scripts/seed.ts and the tests
 * import it (`@fangxun/feeds/seed`). Needs ConfigModule and DatabaseModule from the importing root,
 * and the registry and geo seeds to have run (it reads boundaries, and flash-flood zones through GeoModule).
 */
@Module({
  imports: [GeoModule],
  providers: [GaugeSeedRepository, GaugeSeedService],
  exports: [GaugeSeedService],
})
export class GaugeSeedModule {}

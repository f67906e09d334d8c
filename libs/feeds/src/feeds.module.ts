import { Module } from '@nestjs/common';
import { GeoModule } from '@fangxun/geo';
import { RegistryModule } from '@fangxun/registry';
import { ReadingIngestService } from './readings/reading-ingest.service';

/**
 * Gauges and their readings (pushed, polled, back-filled), rainfall arithmetic, official
 * warnings (CAP 1.2 / GB/T 35965.1 / JSON) in and out, and the thresholds that raise warnings
 * by themselves. Exports services only.
 */
@Module({
  imports: [RegistryModule, GeoModule],
  providers: [ReadingIngestService, ],
  exports: [ReadingIngestService, ],
})
export class FeedsModule {}

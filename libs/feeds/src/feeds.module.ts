import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OutboxModule } from '@fangxun/database';
import { GeoModule } from '@fangxun/geo';
import { RawBodyModule, RawBodyRoutes, XML_CONTENT_TYPE } from '@fangxun/platform';
import { RegistryModule } from '@fangxun/registry';
import { FeedHealthController, StationController } from './gauges/station.controller';
import { StationRepository } from './gauges/station.repository';
import { StationService } from './gauges/station.service';
import { StationLivenessRepository } from './gauges/station-liveness.repository';
import { StationLivenessService } from './gauges/station-liveness.service';
import { FeedController } from './polling/feed.controller';
import { FeedCursorRepository } from './polling/feed-cursor.repository';
import { FeedHttpClient } from './polling/feed-http.client';
import { FeedPollService } from './polling/feed-poll.service';
import { RainfallController } from './rainfall/rainfall.controller';
import { RainfallRepository } from './rainfall/rainfall.repository';
import { RainfallService } from './rainfall/rainfall.service';
import { ReadingController } from './readings/reading.controller';
import { ReadingRepository } from './readings/reading.repository';
import { ReadingIngestService } from './readings/reading-ingest.service';
import { ReadingPlausibilityRepository } from './readings/reading-plausibility.repository';
import { ReadingQualityService } from './readings/reading-quality.service';
import { ReadingQueryService } from './readings/reading-query.service';
import { ThresholdEventController } from './thresholds/threshold.controller';
import { ThresholdRepository } from './thresholds/threshold.repository';
import { ThresholdService } from './thresholds/threshold.service';
import { ThresholdApplier } from './thresholds/threshold-applier';
import { ThresholdTrigger } from './thresholds/threshold-trigger';
import { WarningController, WARNINGS_PATH } from './warnings/warning.controller';
import { WarningRepository } from './warnings/warning.repository';
import { WarningService } from './warnings/warning.service';
import { WarningStore } from './warnings/warning-store';

/**
 * Gauges and their readings (pushed, polled, back-filled), rainfall arithmetic, official
 * warnings (CAP 1.2 / GB/T 35965.1 / JSON) in and out, and the thresholds that raise warnings
 * by themselves. Exports services only.
 */
@Module({
  imports: [AuditModule, RegistryModule, GeoModule, OutboxModule, RawBodyModule],
  controllers: [
    FeedController,
    StationController,
    FeedHealthController,
    ReadingController,
    RainfallController,
    WarningController,
    ThresholdEventController,
  ],
  providers: [
    Clock,
    FeedCursorRepository,
    FeedHttpClient,
    FeedPollService,
    ReadingIngestService,
    StationRepository,
    StationService,
    StationLivenessRepository,
    StationLivenessService,
    ReadingRepository,
    ReadingPlausibilityRepository,
    ReadingQueryService,
    ReadingQualityService,
    RainfallRepository,
    RainfallService,
    WarningRepository,
    WarningStore,
    ThresholdRepository,
    ThresholdApplier,
    ThresholdService,
    ThresholdTrigger,
    WarningService,
  ],
  exports: [
    FeedPollService,
    ReadingIngestService,
    RainfallService,
    StationLivenessService,
    WarningService,
    ThresholdService,
    ThresholdTrigger,
  ],
})
export class FeedsModule implements OnModuleInit {
  constructor(
    private readonly rawBodies: RawBodyRoutes,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * CAP alerts arrive as XML on POST /warnings: platform's body reader hands this route the raw
   * bytes (at most feeds.capMaxBytes; larger by declaration, 413 before a byte is read) and the
   * controller's safe-XML reader refuses DOCTYPE, entities and deep nesting. XML anywhere else is a 415.
   */
  onModuleInit(): void {
    this.rawBodies.accept({ method: 'POST', path: WARNINGS_PATH, contentType: XML_CONTENT_TYPE, maxBytes: this.config.feeds.capMaxBytes });
  }
}

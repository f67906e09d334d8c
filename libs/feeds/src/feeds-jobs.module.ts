import { Module } from '@nestjs/common';
import { Clock } from '@fangxun/common';
import { FeedsModule } from './feeds.module';
import { StationLivenessScheduler } from './gauges/station-liveness.scheduler';
import { FeedPollScheduler } from './polling/feed-poll.scheduler';
import { ThresholdEvaluationJob } from './thresholds/threshold-evaluation.job';
import { WarningExpiryJob } from './warnings/warning-expiry.job';

/**
 * The feeds' scheduled jobs. Only the worker imports this module: the API replicas must not
 * poll or sweep. Each job only claims due work and hands it to a FeedsModule service.
 */
@Module({
  imports: [FeedsModule],
  providers: [Clock, FeedPollScheduler, StationLivenessScheduler, WarningExpiryJob, ThresholdEvaluationJob],
})
export class FeedsJobsModule {}

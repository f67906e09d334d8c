import { Inject, Injectable } from '@nestjs/common';
import { Correlation } from '@fangxun/audit';
import { Clock, IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ThresholdService } from './threshold.service';

/**
 * Thin tick: evaluates every subject at the clock's now. It runs even when no reading arrived,
 * because rolling sums fall as time passes and lifting a level needs that. Each subject is
 * decided under its threshold_states row locked FOR UPDATE SKIP LOCKED, so two workers never
 * act twice on one subject. Returns the crossings.
 */
@Injectable()
export class ThresholdEvaluationJob extends IntervalJob {
  constructor(
    private readonly thresholds: ThresholdService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.feeds.thresholds.evaluateSeconds * 1000;
  }

  protected async round(): Promise<number> {
    return (await Correlation.runJob('threshold-evaluation', () => this.thresholds.evaluate(this.clock.now()))).crossings;
  }
}

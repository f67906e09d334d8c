import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { Clock } from '@fangxun/common';
import { ThresholdService } from './threshold.service';

/**
 * Thin tick: evaluates every subject at the clock's now. It runs even when no reading arrived,
 * because rolling sums fall as time passes and lifting a level needs that. Each subject is
 * decided under its threshold_states row locked FOR UPDATE SKIP LOCKED, so two workers never
 * act twice on one subject.
 */
@Injectable()
export class ThresholdEvaluationJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ThresholdEvaluationJob.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly thresholds: ThresholdService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.feeds.thresholds.evaluateSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      return (await this.thresholds.evaluate(this.clock.now())).crossings;
    } catch (err) {
      this.log.error(`threshold evaluation failed: ${(err as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}

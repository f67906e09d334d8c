import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { Coalescer } from './coalescer';
import { ThresholdService } from './threshold.service';

/** The longest window any threshold reads: rain older than this cannot move a subject now. */
const LONGEST_WINDOW_MS = 24 * 3_600_000;

/**
 * Evaluates the subjects an ingest touched soon after it commits, instead of waiting up to
 * `evaluateSeconds` for the worker's tick (which stays, as the safety net and for decay).
 * Pushes within `evaluateAfterIngestMs` of each other coalesce into one evaluation of their
 * stations, at the clock's now. Several processes may do this at once (API replicas, the
 * worker): each subject is decided under its threshold_states row locked FOR UPDATE SKIP
 * LOCKED, so nothing is applied twice; a subject skipped because another process holds it
 * is judged again by the next trigger or tick.
 */
@Injectable()
export class ThresholdTrigger implements OnApplicationShutdown {
  private readonly log = new Logger(ThresholdTrigger.name);
  private readonly queue?: Coalescer<string>;

  constructor(
    private readonly thresholds: ThresholdService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const delay = config.feeds.thresholds.evaluateAfterIngestMs;
    if (delay > 0) {
      this.queue = new Coalescer<string>(
        delay,
        (stationIds) => this.thresholds.evaluate(this.clock.now(), stationIds),
        (err) => this.log.error(`threshold evaluation after ingest failed: ${(err as Error).message}`),
      );
    }
  }

  /**
   * Called after a committed ingest with the rain rows it wrote. Rows older than the longest
   * window cannot change any sum at now (a back-fill of last week raises nothing), so they
   * are not worth an evaluation.
   */
  rainWritten(rows: Array<{ stationId: string; observedAt: Date }>): void {
    if (!this.queue) return;
    const since = this.clock.now().getTime() - LONGEST_WINDOW_MS;
    this.queue.add(rows.filter((r) => new Date(r.observedAt).getTime() > since).map((r) => r.stationId));
  }

  /** Resolves when no evaluation is pending or running in this process. */
  idle(): Promise<void> {
    return this.queue?.idle() ?? Promise.resolve();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close();
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { Clock } from '@fangxun/common';
import { RealtimeRepository } from './realtime.repository';

/**
 * Worker tick: deletes realtime events older than the retention window, a batch per statement
 * (short locks, small WAL bursts), until none is left. Safe on several workers at once: a row
 * two of them pick is deleted by one and skipped by the other.
 */
@Injectable()
export class RealtimeRetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(RealtimeRetentionJob.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly repo: RealtimeRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.realtime.retentionSweepSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    const { retentionHours, retentionDeleteBatch } = this.config.realtime;
    const cutoff = new Date(this.clock.now().getTime() - retentionHours * 3600_000);
    let total = 0;
    try {
      for (
        let n = await this.repo.deleteBefore(cutoff, retentionDeleteBatch);
        n > 0;
        n = await this.repo.deleteBefore(cutoff, retentionDeleteBatch)
      ) {
        total += n;
      }
      if (total) this.log.log(`deleted ${total} realtime event(s) older than ${retentionHours} h`);
    } catch (err) {
      this.log.error(`realtime retention failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
    return total;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Clock, IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { RealtimeRepository } from './realtime.repository';

/**
 * Worker tick: deletes realtime events older than the retention window, a batch per statement
 * (short locks, small WAL bursts), until none is left. Safe on several workers at once: a row
 * two of them pick is deleted by one and skipped by the other.
 */
@Injectable()
export class RealtimeRetentionJob extends IntervalJob {
  constructor(
    private readonly repo: RealtimeRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.realtime.retentionSweepSeconds * 1000;
  }

  protected async round(): Promise<number> {
    const { retentionHours, retentionDeleteBatch } = this.config.realtime;
    const cutoff = new Date(this.clock.now().getTime() - retentionHours * 3600_000);
    let total = 0;
    for (
      let n = await this.repo.deleteBefore(cutoff, retentionDeleteBatch);
      n > 0;
      n = await this.repo.deleteBefore(cutoff, retentionDeleteBatch)
    ) {
      total += n;
    }
    if (total) this.log.log(`deleted ${total} realtime event(s) older than ${retentionHours} h`);
    return total;
  }
}

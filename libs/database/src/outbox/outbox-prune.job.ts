import { Inject, Injectable, Module } from '@nestjs/common';
import { IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OutboxModule } from './outbox.module';
import { OutboxService } from './outbox.service';

/**
 * Worker tick: keeps the outbox from growing for ever (a 5,000-person fan-out alone writes
 * 5,000 SMS status events). Deletes what every consumer is done with and is older than
 * `outbox.retentionDays`, a batch per statement, until nothing is left.
 */
@Injectable()
export class OutboxPruneJob extends IntervalJob {
  constructor(
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.outbox.pruneEverySeconds * 1000;
  }

  protected async round(): Promise<number> {
    const before = new Date(Date.now() - this.config.outbox.retentionDays * 86_400_000);
    let total = 0;
    for (
      let n = await this.outbox.prune(before, this.config.outbox.pruneBatch);
      n > 0;
      n = await this.outbox.prune(before, this.config.outbox.pruneBatch)
    ) {
      total += n;
    }
    if (total) this.log.log(`pruned ${total} outbox event(s)`);
    return total;
  }
}

/** The outbox's sweep; only the worker imports it. */
@Module({ imports: [OutboxModule], providers: [OutboxPruneJob] })
export class OutboxJobsModule {}

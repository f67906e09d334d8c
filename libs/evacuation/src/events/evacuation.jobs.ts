import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OutboxService } from '@fangxun/database';
import { EVACUATION_CONSUMER, EvacuationEventsHandler } from './evacuation-events.handler';

/**
 * The worker's evacuation loop, a thin tick: claim outbox events (risk-object status changes),
 * hand each to the handler, ack what was done. Claims are leased, so two workers share the
 * events without raising an order twice (and the order's key makes a repeat harmless).
 * `tick()` (tests call it) returns how many events were done.
 */
@Injectable()
export class EvacuationJobs extends IntervalJob {
  constructor(
    private readonly outbox: OutboxService,
    private readonly handler: EvacuationEventsHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.evacuation.tickMs;
  }

  protected async round(): Promise<number> {
    const batch = await this.outbox.claim(EVACUATION_CONSUMER, this.config.evacuation.batchSize, this.config.evacuation.leaseSeconds);
    const done: string[] = [];
    for (const e of batch) {
      try {
        const what = await this.handler.handle(e);
        if (what !== 'ignored') this.log.log(`${e.topic} ${e.key}: ${what}`);
        done.push(e.id);
      } catch (err) {
        // Not acked: delivered again after the lease (the order's key makes the retry idempotent).
        this.log.error(`${e.topic} ${e.key} failed, will retry: ${(err as Error).message}`);
      }
    }
    if (done.length) await this.outbox.ack(EVACUATION_CONSUMER, done);
    return done.length;
  }
}

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

  protected round(): Promise<number> {
    // Claims are leased, so two workers share the events; the order's key makes a retry harmless.
    const { batchSize: limit, leaseSeconds } = this.config.evacuation;
    return this.outbox.consume(EVACUATION_CONSUMER, { limit, leaseSeconds }, (e) => this.handler.handle(e), this.log);
  }
}

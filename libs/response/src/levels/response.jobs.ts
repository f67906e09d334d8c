import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OutboxService } from '@fangxun/database';
import { RESPONSE_CONSUMER, ResponseEventsHandler } from './response-events.handler';

/**
 * The worker's response loop, a thin tick: read the feeds' events and turn them into
 * proposals. Events are claimed from the outbox, so two workers never handle one twice.
 * `tick()` (tests call it) returns how many events were handled.
 */
@Injectable()
export class ResponseJobs extends IntervalJob {
  constructor(
    private readonly outbox: OutboxService,
    private readonly handler: ResponseEventsHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.response.tickMs;
  }

  protected round(): Promise<number> {
    // Proposals are idempotent: an event handled twice after a lease proposes nothing more.
    return this.outbox.consume(RESPONSE_CONSUMER, { limit: this.config.response.batchSize }, (e) => this.handler.handle(e), this.log);
  }
}

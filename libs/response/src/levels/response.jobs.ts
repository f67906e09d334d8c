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

  protected async round(): Promise<number> {
    const batch = await this.outbox.claim(RESPONSE_CONSUMER, this.config.response.batchSize);
    const done: string[] = [];
    for (const e of batch) {
      try {
        const what = await this.handler.handle(e);
        if (what !== 'ignored') this.log.log(`${e.topic} ${e.key}: ${what}`);
        done.push(e.id);
      } catch (err) {
        // Not acked: delivered again after the lease (proposals are idempotent).
        this.log.error(`${e.topic} ${e.key} failed, will retry: ${(err as Error).message}`);
      }
    }
    await this.outbox.ack(RESPONSE_CONSUMER, done);
    return done.length;
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OutboxService } from '@fangxun/database';
import { ArealProposals } from './areal-proposals';
import { RESPONSE_CONSUMER, ResponseEventsHandler } from './response-events.handler';

/**
 * The worker's response loop, a thin tick: read the feeds' events and turn them into
 * proposals. Events are claimed from the outbox, so two workers never handle one twice.
 */
@Injectable()
export class ResponseJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ResponseJobs.name);
  private timer?: NodeJS.Timeout;
  private arealTimer?: NodeJS.Timeout;
  private current: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly outbox: OutboxService,
    private readonly handler: ResponseEventsHandler,
    private readonly areal: ArealProposals,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.response.tickMs);
    this.timer.unref();
    this.arealTimer = setInterval(() => void this.evaluateAreal(), this.config.response.arealEveryMinutes * 60_000);
    this.arealTimer.unref();
  }

  /** The areal-rainfall rules, once (tests call it directly). Never overlaps a tick. */
  evaluateAreal(): Promise<string[]> {
    const run = this.current
      .catch(() => 0)
      .then(async () => {
        try {
          const out = await this.areal.evaluate();
          for (const line of out) this.log.log(`areal rainfall: ${line}`);
          return out;
        } catch (err) {
          this.log.error(`areal-rainfall rules failed: ${(err as Error).message}`);
          return [];
        }
      });
    this.current = run.then(() => 0);
    return run;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.arealTimer) clearInterval(this.arealTimer);
    await this.current.catch(() => undefined);
  }

  /** One round (rounds never overlap); returns how many events were handled. Tests call it directly. */
  tick(): Promise<number> {
    this.current = this.current.catch(() => 0).then(() => this.round());
    return this.current;
  }

  private async round(): Promise<number> {
    try {
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
    } catch (err) {
      this.log.error(`response tick failed: ${(err as Error).message}`);
      return 0;
    }
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Correlation } from '@fangxun/audit';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OUTBOX_NOTIFY_CHANNEL, OutboxService, PgListener } from '@fangxun/database';
import { BoardPublisher } from '../board/board.publisher';
import { StepProcessor } from '../escalation/step.processor';
import { WAKEUP_CONSUMER, WakeupEventsHandler } from './wakeup-events.handler';

export interface Round {
  events: number;
  steps: number;
}

/**
 * The worker's wake-up loop, a thin tick: read events (warnings, SMS replies and receipts),
 * fire due escalation steps, push board progress. All real work is claimed from the database,
 * so two workers share it without doing anything twice.
 */
@Injectable()
export class WakeupJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(WakeupJobs.name);
  private timer?: NodeJS.Timeout;
  private listener?: PgListener;
  private current: Promise<unknown> = Promise.resolve();
  private queued?: Promise<Round>;

  constructor(
    private readonly outbox: OutboxService,
    private readonly handler: WakeupEventsHandler,
    private readonly steps: StepProcessor,
    private readonly board: BoardPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Ticks on a timer, and at once when an outbox event commits (a warning must not wait for
   * the next tick: every second counts in a fan-out). The timer is the safety net.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), this.config.wakeup.tickMs);
    this.timer.unref();
    if (!this.config.wakeup.wakeOnOutbox) return;
    this.listener = new PgListener(this.config.database.url, 'fangxun-wakeup-listen', [OUTBOX_NOTIFY_CHANNEL], () => void this.tick());
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.listener?.stop();
    await this.current.catch(() => undefined); // let a running round finish before the pool closes
  }

  /**
   * One round; returns what it did (tests call it directly with an injected clock). Rounds never
   * overlap: a call while one runs gets the next round, which starts after it (calls made
   * meanwhile share that round), so whoever calls sees a round that began after the call.
   */
  tick(): Promise<Round> {
    if (this.queued) return this.queued;
    const next = this.current.then(() => {
      this.queued = undefined;
      // Audit rows written by this round (campaigns, escalations) share one correlation id.
      return Correlation.runJob('wakeup.round', () => this.round());
    });
    this.queued = next;
    this.current = next;
    return next;
  }

  private async round(): Promise<Round> {
    try {
      const events = await this.events();
      const steps = await this.steps.fireDue();
      await this.board.publishChanged();
      return { events, steps };
    } catch (err) {
      this.log.error(`wake-up tick failed: ${(err as Error).message}`);
      return { events: 0, steps: 0 };
    }
  }

  private async events(): Promise<number> {
    const batch = await this.outbox.claim(WAKEUP_CONSUMER, this.config.wakeup.batchSize, this.config.wakeup.leaseSeconds);
    const done: string[] = [];
    // SMS statuses come in hundreds at a time: handled together; everything else in order.
    const statuses = batch.filter((e) => this.handler.isSmsStatus(e));
    if (statuses.length) {
      try {
        await this.handler.smsStatuses(statuses);
        done.push(...statuses.map((e) => e.id));
      } catch (err) {
        this.log.error(`${statuses.length} sms.status_changed failed, will retry: ${(err as Error).message}`);
      }
    }
    for (const e of batch.filter((x) => !this.handler.isSmsStatus(x))) {
      try {
        const what = await this.handler.handle(e);
        if (what !== 'ignored') this.log.log(`${e.topic} ${e.key}: ${what}`);
        done.push(e.id);
      } catch (err) {
        // Not acked: delivered again after the lease (handlers are idempotent).
        this.log.error(`${e.topic} ${e.key} failed, will retry: ${(err as Error).message}`);
      }
    }
    if (done.length) await this.outbox.ack(WAKEUP_CONSUMER, done);
    return done.length;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import type { CallRow } from '../calls/call.repository';
import type { AckOutcome, AckRequest } from './ack.service';
import { AckItem, AckLedger, AckResult } from './ack-ledger';

interface Waiting {
  item: AckItem;
  resolve: (o: AckOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers the answers that arrive while the previous batch is being written and writes them
 * together (at most `wakeup.ackBatchMax` per transaction): 5,000 wardens answering within two
 * seconds become a few dozen transactions instead of 5,000, each holding one connection. A
 * lone answer is written at once (next turn of the event loop). A caller is told its outcome
 * only after the batch committed: a warden is never told "ok" for an answer that is not durable.
 * A batch that fails as a whole (a deadlock, a lost connection) is retried one answer at a time,
 * so one bad answer cannot refuse the others.
 */
@Injectable()
export class AckBatcher {
  private readonly log = new Logger(AckBatcher.name);
  private queue: Waiting[] = [];
  private running = false;

  constructor(
    private readonly ledger: AckLedger,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  submit(req: AckRequest, check?: (call: CallRow) => void): Promise<AckOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item: { req, check, at: this.clock.now() }, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running || !this.queue.length) return;
    this.running = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.config.wakeup.ackBatchMax);
    try {
      settle(batch, await this.ledger.apply(batch.map((w) => w.item)));
    } catch (err) {
      if (batch.length === 1) batch[0].reject(err);
      else {
        this.log.warn(`a batch of ${batch.length} answers failed (${(err as Error).message}); writing them one by one`);
        for (const w of batch) {
          try {
            settle([w], await this.ledger.apply([w.item]));
          } catch (e) {
            w.reject(e);
          }
        }
      }
    } finally {
      this.running = false;
      this.kick();
    }
  }
}

function settle(batch: Waiting[], results: AckResult[]): void {
  batch.forEach((w, i) => {
    const r = results[i];
    if (r instanceof AppError) w.reject(r);
    else w.resolve(r);
  });
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService } from '@fangxun/database';
import { callbackForged, SmsErrors } from './sms.errors';
import { SmsRepository } from './sms.repository';
import { SmsPayloadError, SmsProvider } from './sms.types';
import { SmsProviders } from './sms-providers';
import { SmsReceiptRepository } from './sms-receipt.repository';
import { statusEvent } from './sms-sender';

export interface CallbackInput {
  provider: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/**
 * Provider pushes: delivery receipts and replies. Each is verified first (forged → 401, nothing
 * read further); then every change and its outbox event commit in one transaction. Repeated
 * pushes change nothing and append nothing.
 */
@Injectable()
export class SmsWebhookService {
  private readonly log = new Logger(SmsWebhookService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly receiptRepo: SmsReceiptRepository,
    private readonly repo: SmsRepository,
    private readonly providers: SmsProviders,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Receipts move sent → delivered/undelivered once. One that arrives before the send's answer
   * was recorded (no message carries its id yet) is parked and applied when the answer lands.
   */
  async receipts(input: CallbackInput): Promise<{ ack: unknown; changed: number; parked: number }> {
    const { provider, body } = this.verified(input);
    const receipts = this.parse(() => provider.parseReceipts(body));
    const { keepSeconds, maxParked } = this.config.sms.earlyReceipts;
    let full = 0;
    const result = await inTransaction(this.ds, async (m) => {
      let changed = 0;
      let parked = 0;
      for (const r of receipts) {
        let row = await this.receiptRepo.apply(m, provider.name, r);
        if (!row) {
          await this.receiptRepo.lockNumbers(m, [{ provider: provider.name, to: r.to }]);
          row = await this.receiptRepo.apply(m, provider.name, r);
        }
        if (!row) {
          const p = await this.receiptRepo.park(m, provider.name, r, keepSeconds, maxParked);
          if (p === 'parked') parked++;
          if (p === 'full') full++;
          continue;
        }
        await this.outbox.append(m, statusEvent({ ...row, provider: row.provider ?? provider.name }));
        changed++;
      }
      return { changed, parked };
    });
    if (full) this.log.warn(`${provider.name}: ${full} early receipt(s) dropped, ${maxParked} already parked`);
    return { ack: provider.callbackAck, ...result };
  }

  /** A reply from a number we never wrote to is still recorded and published: the wake-up decides. */
  async replies(input: CallbackInput): Promise<{ ack: unknown; stored: number }> {
    const { provider, body } = this.verified(input);
    const replies = this.parse(() => provider.parseReplies(body));
    const stored = await inTransaction(this.ds, async (m) => {
      let n = 0;
      for (const r of replies) {
        const row = await this.repo.insertReply(m, provider.name, r);
        if (!row) continue;
        await this.outbox.append(m, {
          topic: 'sms.reply',
          key: r.from,
          payload: {
            from: r.from,
            text: r.text,
            receivedAt: r.receivedAt.toISOString(),
            provider: provider.name,
            destCode: r.destCode ?? null,
            smsId: row.messageId,
          },
        });
        n++;
      }
      return n;
    });
    return { ack: provider.callbackAck, stored };
  }

  private verified(input: CallbackInput): { provider: SmsProvider; body: unknown } {
    const provider = this.providers.get(input.provider);
    if (!provider) {
      throw new AppError(SmsErrors.UnknownProvider, `no SMS provider ${input.provider}`, [
        { field: 'provider', problem: 'not configured' },
      ]);
    }
    if (!provider.verifyCallback({ query: input.query, headers: input.headers, rawBody: input.rawBody, now: new Date() })) {
      throw callbackForged(provider.name);
    }
    let body: unknown;
    try {
      body = JSON.parse(input.rawBody.toString('utf8'));
    } catch {
      throw new AppError(SmsErrors.CallbackMalformed, 'callback body is not JSON', [{ field: '(body)', problem: 'malformed JSON' }]);
    }
    return { provider, body };
  }

  private parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof SmsPayloadError)
        throw new AppError(SmsErrors.CallbackMalformed, err.message, [{ field: '(body)', problem: err.message }]);
      throw err;
    }
  }
}

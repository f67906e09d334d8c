import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '@fangxun/common';
import { OutboxService } from '@fangxun/database';
import { statusEvent } from './sms-sender';
import { SmsProviders } from './sms-providers';
import { SmsRepository } from './sms.repository';
import { callbackForged, SmsErrors } from './sms.errors';
import { SmsPayloadError, SmsProvider } from './sms.types';

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
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: SmsRepository,
    private readonly providers: SmsProviders,
    private readonly outbox: OutboxService,
  ) {}

  async receipts(input: CallbackInput): Promise<{ ack: unknown; changed: number }> {
    const { provider, body } = this.verified(input);
    const receipts = this.parse(() => provider.parseReceipts(body));
    const changed = await this.ds.transaction(async (m) => {
      let n = 0;
      for (const r of receipts) {
        const row = await this.repo.applyReceipt(m, provider.name, r);
        if (!row) continue;
        await this.outbox.append(m, statusEvent({ ...row, provider: row.provider ?? provider.name }));
        n++;
      }
      return n;
    });
    return { ack: provider.callbackAck, changed };
  }

  /** A reply from a number we never wrote to is still recorded and published: the wake-up decides. */
  async replies(input: CallbackInput): Promise<{ ack: unknown; stored: number }> {
    const { provider, body } = this.verified(input);
    const replies = this.parse(() => provider.parseReplies(body));
    const stored = await this.ds.transaction(async (m) => {
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

import { randomUUID } from 'node:crypto';
import type { SmsProviderConfig } from '@fangxun/config';
import type {
  CallbackRequest,
  QueryOutcome,
  SendOutcome,
  SmsBatch,
  SmsInbound,
  SmsItem,
  SmsProvider,
  SmsQueryItem,
  SmsReceipt,
} from '../sms.types';
import type { ProviderOptions } from './provider-common';
import { verifyToken } from './callback-auth';

export interface SandboxMessage {
  messageId: string;
  to: string;
  text: string;
  outId: string;
  providerMessageId: string;
  at: Date;
}

/**
 * Sends nothing: keeps each message (rendered text) in memory and answers "accepted". The only
 * adapter that takes the demo numbers (seed.fakePhonePrefix); used by drills and the demo.
 * Its store lives in this process: query() only knows this process's sends.
 */
export class SandboxSmsProvider implements SmsProvider {
  readonly kind = 'sandbox' as const;
  readonly name: string;
  readonly maxBatch: number;
  readonly callbackAck = { ok: true };
  readonly sent: SandboxMessage[] = [];

  constructor(
    private readonly cfg: Extract<SmsProviderConfig, { kind: 'sandbox' }>,
    private readonly opts: ProviderOptions,
  ) {
    this.name = cfg.name;
    this.maxBatch = cfg.maxBatch ?? 1000;
  }

  groupKey(item: SmsItem): string {
    return item.template;
  }

  send(batch: SmsBatch): Promise<SendOutcome[]> {
    return Promise.resolve(
      batch.items.map((i): SendOutcome => {
        const providerMessageId = `sandbox-${randomUUID()}`;
        this.sent.push({
          messageId: i.messageId,
          to: i.to,
          text: this.opts.render(i.template, i.params),
          outId: batch.outId,
          providerMessageId,
          at: this.opts.now(),
        });
        if (this.sent.length > 100_000) this.sent.splice(0, this.sent.length - 100_000);
        return { messageId: i.messageId, result: 'accepted', providerMessageId };
      }),
    );
  }

  query(items: SmsQueryItem[]): Promise<QueryOutcome[]> {
    return Promise.resolve(
      items.map((i): QueryOutcome => {
        const hit = this.sent.find((s) => s.outId === i.outId && s.messageId === i.messageId);
        return hit
          ? { messageId: i.messageId, found: true, providerMessageId: hit.providerMessageId }
          : { messageId: i.messageId, found: false };
      }),
    );
  }

  verifyCallback(req: CallbackRequest): boolean {
    return verifyToken(req, this.cfg.callbackSecret);
  }

  parseReceipts(): SmsReceipt[] {
    return [];
  }

  parseReplies(): SmsInbound[] {
    return [];
  }
}

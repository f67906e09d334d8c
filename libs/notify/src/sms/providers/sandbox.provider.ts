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
import { verifyToken } from './callback-auth';
import type { ProviderOptions } from './provider-common';

export interface SandboxMessage {
  messageId: string;
  to: string;
  text: string;
  outId: string;
  providerMessageId: string;
  at: Date;
}

/** Rendered messages the sandbox keeps for a look (demo, drills, tests): the last ones only. */
const RECENT_KEPT = 100;

/**
 * Sends nothing and answers "accepted". The only adapter that takes the demo numbers
 * (seed.fakePhonePrefix); used by drills and the demo. It keeps no record per message (memory
 * stays flat however many storms it "sends"): only the last RECENT_KEPT rendered texts, for a
 * look. A look-up after an unknown outcome answers "it left": the sandbox never refuses what it
 * was handed, and nothing real leaves either way.
 */
export class SandboxSmsProvider implements SmsProvider {
  readonly kind = 'sandbox' as const;
  readonly name: string;
  readonly maxBatch: number;
  readonly callbackAck = { ok: true };
  /** The last RECENT_KEPT messages, oldest first. */
  readonly recent: SandboxMessage[] = [];

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
        this.recent.push({
          messageId: i.messageId,
          to: i.to,
          text: this.opts.render(i.template, i.params),
          outId: batch.outId,
          providerMessageId,
          at: this.opts.now(),
        });
        if (this.recent.length > RECENT_KEPT) this.recent.shift();
        return { messageId: i.messageId, result: 'accepted', providerMessageId };
      }),
    );
  }

  query(items: SmsQueryItem[]): Promise<QueryOutcome[]> {
    return Promise.resolve(
      items.map((i): QueryOutcome => ({ messageId: i.messageId, found: true, providerMessageId: i.providerMessageId ?? null })),
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

/** The SMS channel's vocabulary, shared by the queue, the sender, the adapters and the webhooks. */
export type SmsPurpose = 'wakeup' | 'public' | 'drill';
/** `capped`: a provider's per-number limit (daily, hourly, per template) refused it, final for the day: phone the person. */
export type SmsStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'capped';
/**
 * How a provider's refusal is handled: retry later, never retry, slow down / fail over, or the
 * number's own limit at that provider is reached for the day (the next provider is tried once;
 * if none takes it, the message ends `capped`).
 */
export type FailureClass = 'retryable' | 'permanent' | 'throttled' | 'capped';

/** One message of a provider request. `to` is E.164 (+86…). */
export interface SmsItem {
  messageId: string;
  to: string;
  template: string;
  /** Template variables, values always strings (Aliyun refuses non-string JSON values). */
  params: Record<string, string>;
}

/** What one provider request carries: one template, numbers that may share the request. */
export interface SmsBatch {
  /** Attempt key of this request (Aliyun OutId, Tencent SessionContext, generic ref). */
  outId: string;
  template: string;
  items: SmsItem[];
}

export type SendOutcome =
  | { messageId: string; result: 'accepted'; providerMessageId: string }
  | { messageId: string; result: 'failed'; failure: FailureClass; code: string; message: string }
  /** The request may have left (timeout after sending, 5xx): ask query() before sending again. */
  | { messageId: string; result: 'unknown'; code: string; message: string };

export interface SmsQueryItem {
  messageId: string;
  to: string;
  outId: string;
  providerMessageId?: string | null;
  /** When the attempt was marked `sending` (the query window starts a little earlier). */
  sentAfter: Date;
}

export type QueryOutcome =
  | { messageId: string; found: true; providerMessageId: string | null }
  | { messageId: string; found: false }
  /** The provider could not be asked: the outcome stays unknown. */
  | { messageId: string; found: 'unknown'; reason: string };

/** One entry of a message's history (sms_messages.attempts, the last ATTEMPTS_KEPT). */
export interface SmsAttempt {
  at: string;
  provider: string;
  kind: 'send' | 'query' | 'receipt';
  /** send: accepted | failed | throttled | capped | unknown; query: found | not_found | unknown; receipt: delivered | undelivered. */
  result: string;
  code?: string;
}

export const ATTEMPTS_KEPT = 20;

/** A delivery receipt, parsed from a provider push. */
export interface SmsReceipt {
  to: string;
  providerMessageId?: string;
  outId?: string;
  delivered: boolean;
  code: string;
  at: Date | null;
}

/** An inbound reply (mobile-originated). */
export interface SmsInbound {
  /** Stable across the provider's retries of the same push. */
  dedupKey: string;
  from: string;
  text: string;
  destCode?: string;
  receivedAt: Date;
}

/** What a webhook sees of the request, to verify it came from the provider. */
export interface CallbackRequest {
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  now: Date;
}

/** One outside system that sends SMS (one adapter per provider, see ./providers). */
export interface SmsProvider {
  readonly name: string;
  readonly kind: 'aliyun' | 'tencent' | 'generic' | 'sandbox';
  /** Numbers per request at most. */
  readonly maxBatch: number;
  /** Items with the same key may go out in one request (Tencent: same params; Aliyun: same template). */
  groupKey(item: SmsItem): string;
  /** One HTTP request; one outcome per item, in any order. Never throws for provider errors. */
  send(batch: SmsBatch): Promise<SendOutcome[]>;
  /** Did these attempts leave? Used when a send's outcome is unknown, before sending again. */
  query(items: SmsQueryItem[]): Promise<QueryOutcome[]>;
  /** True if the push carries this provider's configured secret (token or HMAC). */
  verifyCallback(req: CallbackRequest): boolean;
  parseReceipts(body: unknown): SmsReceipt[];
  parseReplies(body: unknown): SmsInbound[];
  /** The body the provider expects in answer to its push. */
  readonly callbackAck: unknown;
}

/** Thrown by adapters for a malformed push (400). */
export class SmsPayloadError extends Error {}

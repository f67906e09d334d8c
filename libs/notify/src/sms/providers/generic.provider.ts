import type { AxiosInstance } from 'axios';
import type { SmsProviderConfig } from '@fangxun/config';
import {
  CallbackRequest,
  QueryOutcome,
  SendOutcome,
  SmsBatch,
  SmsInbound,
  SmsItem,
  SmsPayloadError,
  SmsProvider,
  SmsQueryItem,
  SmsReceipt,
} from '../sms.types';
import { verifyBodySignature } from './callback-auth';
import { failAll, ProviderOptions, refuseFake } from './provider-common';
import { callProvider, HttpResult, isRecord, providerAxios, toE164 } from './provider-http';
import { bodySignature } from './signing';

type GenericConfig = Extract<SmsProviderConfig, { kind: 'generic' }>;

/**
 * A generic HTTP/JSON SMS gateway (a bureau's own, or an operator's). Both directions are
 * signed the same way: X-Fangxun-Timestamp + X-Fangxun-Signature = hex HMAC-SHA256 of
 * `${timestamp}.${body}` (requestSecret on our requests, callbackSecret on its pushes).
 *   POST {endpoint}/send  {outId, messages:[{ref, to, template, params, text}]}
 *        → {results:[{ref, status:'accepted'|'rejected', messageId?, code?, message?, retryable?}]}
 *   POST {endpoint}/query {items:[{ref, outId, to}]} → {results:[{ref, found, messageId?}]}
 *   push receipts {receipts:[{messageId, to, status:'delivered'|'undelivered', code?, at?}]}
 *   push replies  {replies:[{id, from, text, receivedAt}]}
 */
export class GenericSmsProvider implements SmsProvider {
  readonly kind = 'generic' as const;
  readonly name: string;
  readonly maxBatch: number;
  readonly callbackAck = { ok: true };
  private readonly http: AxiosInstance;

  constructor(
    private readonly cfg: GenericConfig,
    private readonly opts: ProviderOptions & { maxSkewSeconds: number },
  ) {
    this.name = cfg.name;
    this.maxBatch = cfg.maxBatch ?? 100;
    this.http = providerAxios(cfg.timeoutMs);
  }

  groupKey(item: SmsItem): string {
    return item.template;
  }

  async send(batch: SmsBatch): Promise<SendOutcome[]> {
    const [fake, items] = refuseFake(batch.items, this.opts.fakePrefix);
    if (!items.length) return fake;
    const r = await this.post('/send', {
      outId: batch.outId,
      messages: items.map((i) => ({
        ref: i.messageId,
        to: i.to,
        template: i.template,
        params: i.params,
        text: this.opts.render(i.template, i.params),
      })),
    });
    if (r.kind === 'not_sent') return [...fake, ...failAll(items, 'retryable', r.code, r.message)];
    if (r.kind === 'unknown' || r.res.status >= 500) {
      const code = r.kind === 'unknown' ? r.code : `HTTP_${r.res.status}`;
      return [...fake, ...items.map((i): SendOutcome => ({ messageId: i.messageId, result: 'unknown', code, message: code }))];
    }
    if (r.res.status === 429) return [...fake, ...failAll(items, 'throttled', 'HTTP_429', 'throttled')];
    if (r.res.status === 401) return [...fake, ...failAll(items, 'permanent', 'HTTP_401', 'gateway refused our signature')];
    const results = isRecord(r.res.data) && Array.isArray(r.res.data.results) ? r.res.data.results.filter(isRecord) : [];
    const byRef = new Map(results.map((x) => [String(x.ref), x]));
    return [
      ...fake,
      ...items.map((i): SendOutcome => {
        const x = byRef.get(i.messageId);
        if (!x) return { messageId: i.messageId, result: 'unknown', code: 'NO_RESULT', message: 'message missing from results' };
        if (x.status === 'accepted')
          return { messageId: i.messageId, result: 'accepted', providerMessageId: String(x.messageId ?? i.messageId) };
        return {
          messageId: i.messageId,
          result: 'failed',
          failure: x.code === 'THROTTLED' ? 'throttled' : x.retryable ? 'retryable' : 'permanent',
          code: String(x.code ?? 'REJECTED'),
          message: String(x.message ?? ''),
        };
      }),
    ];
  }

  async query(items: SmsQueryItem[]): Promise<QueryOutcome[]> {
    const r = await this.post('/query', { items: items.map((i) => ({ ref: i.messageId, outId: i.outId, to: i.to })) });
    if (r.kind !== 'response' || r.res.status !== 200 || !isRecord(r.res.data) || !Array.isArray(r.res.data.results)) {
      return items.map((i) => ({
        messageId: i.messageId,
        found: 'unknown',
        reason: r.kind === 'response' ? `HTTP ${r.res.status}` : r.code,
      }));
    }
    const byRef = new Map(r.res.data.results.filter(isRecord).map((x) => [String(x.ref), x]));
    return items.map((i): QueryOutcome => {
      const x = byRef.get(i.messageId);
      if (!x) return { messageId: i.messageId, found: 'unknown', reason: 'missing from results' };
      return x.found === true
        ? { messageId: i.messageId, found: true, providerMessageId: typeof x.messageId === 'string' ? x.messageId : null }
        : { messageId: i.messageId, found: false };
    });
  }

  verifyCallback(req: CallbackRequest): boolean {
    return verifyBodySignature(req, this.cfg.callbackSecret, this.opts.maxSkewSeconds);
  }

  parseReceipts(body: unknown): SmsReceipt[] {
    if (!isRecord(body) || !Array.isArray(body.receipts)) throw new SmsPayloadError('body must be {receipts: [...]}');
    return body.receipts.map((r, i) => {
      if (!isRecord(r) || typeof r.messageId !== 'string' || typeof r.to !== 'string' || typeof r.status !== 'string') {
        throw new SmsPayloadError(`receipts[${i}]: messageId, to and status are required`);
      }
      const at = typeof r.at === 'string' ? new Date(r.at) : null;
      return {
        to: toE164(r.to),
        providerMessageId: r.messageId,
        delivered: r.status === 'delivered',
        code: typeof r.code === 'string' ? r.code : r.status,
        at: at && !Number.isNaN(at.getTime()) ? at : null,
      };
    });
  }

  parseReplies(body: unknown): SmsInbound[] {
    if (!isRecord(body) || !Array.isArray(body.replies)) throw new SmsPayloadError('body must be {replies: [...]}');
    return body.replies.map((r, i) => {
      if (!isRecord(r) || typeof r.id !== 'string' || typeof r.from !== 'string' || typeof r.text !== 'string') {
        throw new SmsPayloadError(`replies[${i}]: id, from and text are required`);
      }
      const at = typeof r.receivedAt === 'string' ? new Date(r.receivedAt) : new Date(NaN);
      return { dedupKey: `id:${r.id}`, from: toE164(r.from), text: r.text, receivedAt: Number.isNaN(at.getTime()) ? new Date() : at };
    });
  }

  private post(path: string, body: unknown): Promise<HttpResult> {
    const payload = JSON.stringify(body);
    const ts = String(Math.floor(this.opts.now().getTime() / 1000));
    return callProvider(() =>
      this.http.post(this.cfg.endpoint.replace(/\/$/, '') + path, payload, {
        headers: {
          'content-type': 'application/json',
          'x-fangxun-timestamp': ts,
          'x-fangxun-signature': bodySignature(this.cfg.requestSecret, ts, payload),
        },
        transformRequest: [(d: unknown) => d],
      }),
    );
  }
}

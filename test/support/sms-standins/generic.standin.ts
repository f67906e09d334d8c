import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PushResult, StandinBase } from './standin-base';

const sign = (secret: string, ts: string, body: string | Buffer): string =>
  createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex');

/**
 * The generic HTTP/JSON gateway stand-in: checks X-Fangxun-Timestamp (±5 min) and
 * X-Fangxun-Signature (hex HMAC-SHA256 of `${ts}.${body}` with requestSecret), answers
 * 401 {error} otherwise; /send, /query as documented in generic.provider.ts; signs its pushes
 * with callbackSecret (or a wrong key when told to forge).
 */
export class GenericStandin extends StandinBase {
  constructor(
    readonly requestSecret = 'generic-request-secret-0123',
    readonly callbackSecret = 'generic-callback-secret-0123',
  ) {
    super();
  }

  protected handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const ts = String(req.headers['x-fangxun-timestamp'] ?? '');
    const ok =
      /^\d+$/.test(ts) &&
      Math.abs(Date.now() / 1000 - Number(ts)) <= 300 &&
      req.headers['x-fangxun-signature'] === sign(this.requestSecret, ts, body);
    this.requests.push({ action: path, verified: ok });
    if (!ok) return this.json(res, 401, { error: 'bad signature' });
    const p = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (path === '/send') {
      const mode = this.takeMode();
      if (mode === '500') return this.json(res, 500, { error: 'internal' });
      if (mode === 'throttle') return this.json(res, 429, { error: 'slow down' });
      const messages = (p.messages as Array<Record<string, unknown>>) ?? [];
      const at = new Date();
      const results = messages.map((m) => {
        const id = `g-${randomUUID()}`;
        this.sends.push({
          to: String(m.to),
          outId: String(p.outId),
          providerMessageId: id,
          template: String(m.template),
          params: m.params,
          at,
        });
        return { ref: m.ref, status: 'accepted', messageId: id };
      });
      if (mode === 'timeout') return this.hang(res);
      return this.json(res, 200, { results });
    }
    if (path === '/query') {
      const items = (p.items as Array<Record<string, unknown>>) ?? [];
      return this.json(res, 200, {
        results: items.map((i) => {
          const hit = this.sends.find((s) => s.outId === i.outId && s.to === i.to);
          return { ref: i.ref, found: !!hit, messageId: hit?.providerMessageId };
        }),
      });
    }
    this.json(res, 404, { error: 'no such path' });
  }

  pushSigned(url: string, body: unknown, forge = false): Promise<PushResult> {
    const raw = JSON.stringify(body);
    const ts = String(Math.floor(Date.now() / 1000));
    return StandinBase.push(
      url,
      body,
      { 'x-fangxun-timestamp': ts, 'x-fangxun-signature': sign(forge ? 'not-the-secret-at-all' : this.callbackSecret, ts, raw) },
      raw,
    );
  }

  pushReceipts(url: string, sends = this.sends, forge = false): Promise<PushResult> {
    return this.pushSigned(
      url,
      { receipts: sends.map((s) => ({ messageId: s.providerMessageId, to: s.to, status: 'delivered', at: new Date().toISOString() })) },
      forge,
    );
  }
}

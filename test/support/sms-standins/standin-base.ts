import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How a stand-in answers its next send requests: normally, HTTP 500, never (hangs after the
 * message "left", i.e. after recording it), the provider's throttling answer (Aliyun: minute
 * flow control), or its per-number hourly / daily limit answer for every number of the request.
 */
export type StandinMode = 'ok' | '500' | 'timeout' | 'throttle' | 'limit_hour' | 'limit_day';

/** One message the stand-in "sent" (what tests count per number). */
export interface StandinSend {
  to: string;
  outId: string;
  providerMessageId: string;
  template: string;
  params: unknown;
  at: Date;
}

export interface PushResult {
  status: number;
  body: unknown;
}

/**
 * Shared machinery of the provider stand-ins: a node:http server on 127.0.0.1:0, a mode (or a
 * queue of modes for the next send requests), what was sent, every request seen (with whether
 * its signature verified), and a helper to POST pushes to our webhooks.
 */
export abstract class StandinBase {
  mode: StandinMode = 'ok';
  /** When set, the receipt of each send is pushed to `url` BEFORE the send is answered (a receipt racing the answer). */
  earlyReceipts: { url: string; success: boolean } | null = null;
  /** Numbers at their daily limit with this provider: refused with its per-number limit code. */
  readonly dailyLimited = new Set<string>();
  /** Status look-ups (Aliyun QuerySendDetails, Tencent PullSmsSendStatusByPhoneNumber) answer after this long. */
  queryDelayMs = 0;
  readonly modeQueue: StandinMode[] = [];
  readonly sends: StandinSend[] = [];
  readonly requests: Array<{ action: string; verified: boolean; error?: string }> = [];
  private server!: Server;
  private readonly hanging = new Set<ServerResponse>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handle(req, Buffer.concat(chunks), res);
        } catch (err) {
          this.json(res, 500, { error: err instanceof Error ? err.message : String(err) });
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    this.hanging.forEach((r) => r.destroy());
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Modes for the next send requests, then back to `mode`. */
  next(...modes: StandinMode[]): this {
    this.modeQueue.push(...modes);
    return this;
  }

  sendsTo(e164: string): number {
    return this.sends.filter((s) => s.to === e164).length;
  }

  reset(): void {
    this.mode = 'ok';
    this.queryDelayMs = 0;
    this.dailyLimited.clear();
    this.earlyReceipts = null;
    this.modeQueue.length = 0;
    this.sends.length = 0;
    this.requests.length = 0;
  }

  protected takeMode(): StandinMode {
    return this.modeQueue.shift() ?? this.mode;
  }

  /** Answers a status look-up after `queryDelayMs` (a slow provider query API). */
  protected later(fn: () => void): void {
    if (this.queryDelayMs > 0) setTimeout(fn, this.queryDelayMs);
    else fn();
  }

  queries(): number {
    return this.requests.filter((r) => r.action === 'QuerySendDetails' || r.action === 'PullSmsSendStatusByPhoneNumber').length;
  }

  protected hang(res: ServerResponse): void {
    this.hanging.add(res);
  }

  protected json(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': randomUUID() });
    res.end(JSON.stringify(body));
  }

  protected abstract handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void;

  /** POSTs a JSON push to one of our webhooks; `raw` overrides the serialised body. */
  static async push(url: string, body: unknown, headers: Record<string, string> = {}, raw?: string): Promise<PushResult> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: raw ?? JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  }
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, no zone (what Aliyun and Tencent push). */
export function beijingString(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function digits(n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(Math.random() * 1e9).toString();
  return s.slice(0, n);
}

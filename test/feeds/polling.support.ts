import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from '@fangxun/common';
import { AppConfig, loadConfig, PolledFeedConfig } from '@fangxun/config';
import { FeedsModule, IngestReport, RawReading, ReadingIngestService } from '@fangxun/feeds';
import { ApiModule } from '../../apps/api/src/api.module';
import { FeedPollScheduler } from '../../libs/feeds/src/polling/feed-poll.scheduler';
import { bootCustom, TestApp } from '../support/app';
import type { FakeClock } from '../support/fake-clock';

/** One canned answer of the stand-in feed. */
export interface Canned {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  text?: string;
  delayMs?: number;
  /** Drop the connection without answering (the client sees ECONNRESET). */
  drop?: boolean;
}

/**
 * A real HTTP server on port 0 standing in for a feed: each path answers from a queue of
 * canned responses (then its default, or a function of the query), and every request is kept.
 */
export class FeedServer {
  readonly requests: Array<{ path: string; query: URLSearchParams }> = [];
  private readonly queues = new Map<string, Canned[]>();
  private readonly defaults = new Map<string, (q: URLSearchParams) => Canned>();
  private server!: Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  enqueue(path: string, ...answers: Canned[]): void {
    this.queues.set(path, [...(this.queues.get(path) ?? []), ...answers]);
  }

  setDefault(path: string, answer: (q: URLSearchParams) => Canned): void {
    this.defaults.set(path, answer);
  }

  hits(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.queues.clear();
  }

  async stop(): Promise<void> {
    this.timers.forEach(clearTimeout);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: u.pathname, query: u.searchParams });
    const answer = this.queues.get(u.pathname)?.shift() ?? this.defaults.get(u.pathname)?.(u.searchParams) ?? { status: 404, body: {} };
    if (answer.drop) {
      req.socket.destroy();
      return;
    }
    const send = (): void => {
      if (res.destroyed) return;
      res.writeHead(answer.status ?? 200, { 'content-type': answer.text !== undefined ? 'text/html' : 'application/json' });
      res.end(answer.text ?? JSON.stringify(answer.body ?? {}));
    };
    if (!answer.delayMs) return send();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      send();
    }, answer.delayMs);
    this.timers.add(timer);
  }
}

export { FakeClock } from '../support/fake-clock';

/** Stands in for ReadingIngestService: keeps every batch and accepts every row. */
export class RecordingIngest {
  readonly batches: Array<{ rows: RawReading[]; source: string }> = [];
  ingest(rows: RawReading[], source: string): Promise<IngestReport> {
    this.batches.push({ rows, source });
    const n = rows.length;
    return Promise.resolve({ accepted: n, inserted: n, corrected: 0, unchanged: 0, rejected: 0, flagged: 0, reflagged: [], errors: [] });
  }
  rows(): RawReading[] {
    return this.batches.flatMap((b) => b.rows);
  }
}

/** A feed config with test-sized timeouts; cron fires only on 1 January so it never ticks by itself. */
export function feed(over: Partial<PolledFeedConfig> & Pick<PolledFeedConfig, 'name' | 'url' | 'adapter'>): PolledFeedConfig {
  return {
    enabled: true,
    cron: '0 0 1 1 *',
    timeoutMs: 300,
    retries: 2,
    retryBaseMs: 5,
    maxBodyBytes: 1024 * 1024,
    stationPrefix: '',
    stationMap: {},
    failingAfter: 3,
    ...over,
  } as PolledFeedConfig;
}

/**
 * Boots the API plus the worker's feed-poll scheduler (alone: the other feed jobs stay out of
 * these tests) on this worker's database, with our feeds, clock and a recording ingest.
 */
export async function bootFeeds(feeds: PolledFeedConfig[], clock: FakeClock, ingest?: RecordingIngest): Promise<TestApp> {
  const base = loadConfig();
  const config: AppConfig = { ...base, feeds: { ...base.feeds, polled: feeds } };
  // Without a recorder the real ReadingIngestService stores the readings.
  return bootCustom({
    imports: [ApiModule, FeedsModule],
    providers: [Clock, FeedPollScheduler],
    config,
    clock,
    replace: ingest ? [{ token: ReadingIngestService, value: ingest }] : [],
  });
}

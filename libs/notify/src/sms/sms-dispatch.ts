import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService } from '@fangxun/database';
import { SmsRepository, SmsRow } from './sms.repository';
import type { FailureClass, SendOutcome, SmsAttempt, SmsItem, SmsProvider } from './sms.types';
import { SmsProviderWatch } from './sms-provider-watch';
import { SmsProviders } from './sms-providers';
import { SmsReceiptRepository } from './sms-receipt.repository';

/** What one sender pass did (both lanes count the same way). */
export interface SenderPass {
  claimed: number;
  recovered: number;
  sent: number;
  requeued: number;
  failed: number;
  capped: number;
  unknown: number;
}

interface Failure {
  failure: FailureClass;
  code: string;
  message: string;
}

/** Chunks of one provider request sent at once (the token bucket still paces them). */
const CONCURRENCY = 4;

export function statusEvent(row: SmsRow): { topic: string; key: string; payload: Record<string, unknown> } {
  return {
    topic: 'sms.status_changed',
    key: row.id,
    payload: { smsId: row.id, refType: row.refType, refId: row.refId, to: row.to, status: row.status, provider: row.provider },
  };
}

/**
 * Sending claimed rows down the provider chain and recording every outcome, for both lanes of
 * SmsSender. Before each request the attempt is committed (markAttempt, guarded by the claim
 * token and lease); an unknown outcome is handed to the recovery lane; a refusal goes to the
 * next provider; what no provider took is retried with backoff, failed, or capped.
 */
@Injectable()
export class SmsDispatch {
  private readonly log = new Logger('SmsSender');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: SmsRepository,
    private readonly receiptRepo: SmsReceiptRepository,
    private readonly providers: SmsProviders,
    private readonly outbox: OutboxService,
    private readonly watch: SmsProviderWatch,
  ) {}

  /** Sends rows down their chain (drills through sms.drillChain); `demote` names providers to try last. */
  async sendAll(token: string, rows: SmsRow[], pass: SenderPass, demote: (r: SmsRow) => string[]): Promise<void> {
    const groups = new Map<string, { chain: SmsProvider[]; rows: SmsRow[] }>();
    for (const r of rows) {
      const last = demote(r);
      const base = this.providers.chain(r.purpose === 'drill' ? 'drill' : undefined);
      const chain = [...base.filter((p) => !last.includes(p.name)), ...base.filter((p) => last.includes(p.name))];
      const key = chain.map((p) => p.name).join(',');
      const g = groups.get(key) ?? { chain, rows: [] };
      g.rows.push(r);
      groups.set(key, g);
    }
    const failures = new Map<string, Failure>();
    for (const { chain, rows: group } of groups.values()) {
      let pending = group;
      for (const [i, provider] of chain.entries()) {
        if (!pending.length) break;
        pending = await this.sendVia(provider, token, pending, failures, pass);
        if (i < chain.length - 1) this.watch.failedOver(provider.name, pending.length);
      }
      for (const row of pending) await this.giveUpOrRetry(token, row, failures.get(row.id), pass);
    }
  }

  /** Sends `rows` through one provider; returns the rows it did not take (for the next one). */
  private async sendVia(
    provider: SmsProvider,
    token: string,
    rows: SmsRow[],
    failures: Map<string, Failure>,
    pass: SenderPass,
  ): Promise<SmsRow[]> {
    const chunks = this.chunk(provider, rows);
    const left: SmsRow[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const chunk = chunks[next++];
        left.push(...(await this.sendChunk(provider, token, chunk, failures, pass)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, worker));
    return left;
  }

  private chunk(provider: SmsProvider, rows: SmsRow[]): SmsRow[][] {
    const groups = new Map<string, SmsRow[]>();
    for (const r of rows) {
      const key = provider.groupKey(item(r));
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const out: SmsRow[][] = [];
    for (const g of groups.values()) for (let i = 0; i < g.length; i += provider.maxBatch) out.push(g.slice(i, i + provider.maxBatch));
    return out;
  }

  private async sendChunk(
    provider: SmsProvider,
    token: string,
    chunk: SmsRow[],
    failures: Map<string, Failure>,
    pass: SenderPass,
  ): Promise<SmsRow[]> {
    await this.providers.throttle(provider.name, chunk.length);
    const outId = randomBytes(16).toString('hex');
    const marked = new Map(
      (
        await this.repo.markAttempt(
          token,
          chunk.map((r) => r.id),
          provider.name,
          outId,
          this.config.sms.sender.leaseSeconds,
        )
      ).map((m) => [m.id, m.attempt]),
    );
    const rows = chunk.filter((r) => marked.has(r.id)); // the rest were taken over: not ours to send
    if (!rows.length) return [];
    rows.forEach((r) => {
      r.attempt = marked.get(r.id)!;
      r.provider = provider.name;
      r.outId = outId;
    });
    let outcomes: SendOutcome[];
    try {
      outcomes = await this.watch.timed(provider.name, 'send', () =>
        provider.send({ outId, template: rows[0].template, items: rows.map(item) }),
      );
    } catch (err) {
      // An adapter bug after the request may have left: treat as unknown.
      const message = err instanceof Error ? err.message : String(err);
      outcomes = rows.map((r) => ({ messageId: r.id, result: 'unknown', code: 'ADAPTER_ERROR', message }));
    }
    this.watch.sent(provider.name, outcomes);
    await this.repo.recordAttempts(
      outcomes.map((o) => ({
        id: o.messageId,
        attempt: attemptOf(
          provider.name,
          'send',
          o.result === 'failed' ? o.failure : o.result,
          o.result === 'accepted' ? undefined : o.code,
        ),
      })),
    );
    if (rows.length > 1 && sameCap(outcomes, rows.length)) {
      // One limit answer for the whole request (Aliyun answers per request, not per number):
      // find out whose limit it is, one number per request, rather than capping them all.
      const left: SmsRow[] = [];
      for (const r of rows) left.push(...(await this.sendChunk(provider, token, [r], failures, pass)));
      return left;
    }
    const byId = new Map(outcomes.map((o) => [o.messageId, o]));
    const accepted: Array<{ id: string; providerMessageId: string | null }> = [];
    const unknown: SmsRow[] = [];
    const left: SmsRow[] = [];
    for (const r of rows) {
      const o = byId.get(r.id) ?? { messageId: r.id, result: 'unknown', code: 'NO_OUTCOME', message: 'adapter gave no outcome' };
      if (o.result === 'accepted') accepted.push({ id: r.id, providerMessageId: o.providerMessageId });
      else if (o.result === 'unknown') unknown.push(r);
      else {
        failures.set(r.id, mergeFailure(failures.get(r.id), o));
        left.push(r);
      }
    }
    if (unknown.length) {
      // The request may have left: nobody sends these again before the provider is asked, and
      // the asking is the recovery lane's (the fresh lane does not wait for a slow status API).
      const first = byId.get(unknown[0].id);
      await this.repo.handOver(
        token,
        unknown.map((r) => r.id),
        first?.result === 'unknown' ? first.code : 'NO_OUTCOME',
        `${provider.name}: ${first?.result === 'unknown' ? first.message : 'no outcome'}`,
      );
      pass.unknown += unknown.length;
    }
    const sent = (await this.recordSent(token, provider, rows, accepted)).length;
    pass.sent += sent; // not `+= await`: chunks run concurrently
    return left;
  }

  /**
   * sending → sent, and any receipt parked for these messages (pushed before this answer) is
   * applied in the same transaction, under the per-number receipt lock (see SmsReceiptRepository).
   */
  async recordSent(
    token: string,
    provider: SmsProvider,
    rows: SmsRow[],
    sent: Array<{ id: string; providerMessageId: string | null }>,
  ): Promise<SmsRow[]> {
    if (!sent.length) return [];
    const ids = new Set(sent.map((x) => x.id));
    return inTransaction(this.ds, async (m) => {
      // The sandbox gets no receipts: no lock for its (large) batches.
      if (provider.kind !== 'sandbox')
        await this.receiptRepo.lockNumbers(
          m,
          rows.filter((r) => ids.has(r.id)).map((r) => ({ provider: provider.name, to: r.to })),
        );
      const done = await this.repo.markSent(m, token, sent);
      await this.events(m, done);
      await this.events(m, await this.receiptRepo.applyParked(m, done));
      return done;
    });
  }

  private async giveUpOrRetry(token: string, row: SmsRow, f: Failure | undefined, pass: SenderPass): Promise<void> {
    const cfg = this.config.sms.sender;
    const failure = f ?? { failure: 'retryable' as const, code: 'NO_PROVIDER', message: 'no enabled provider took it' };
    if (failure.failure === 'capped') {
      // A provider's per-number limit, and no other provider in the chain took it: final for today.
      await this.fail(token, row, failure.code, failure.message, 'capped');
      pass.capped++;
      return;
    }
    if (failure.failure === 'permanent' || row.attempt >= cfg.maxAttempts) {
      await this.fail(
        token,
        row,
        failure.code,
        failure.failure === 'permanent' ? failure.message : `gave up after ${row.attempt} attempts: ${failure.message}`,
      );
      pass.failed++;
      return;
    }
    // Exponential backoff with equal jitter (half fixed, half random); attempts count provider requests.
    const ceiling = Math.min(cfg.backoffMaxMs, cfg.backoffBaseMs * 2 ** Math.max(0, row.attempt - 1));
    await this.repo.requeue(token, row.id, Math.round(ceiling / 2 + (Math.random() * ceiling) / 2), failure.code, failure.message);
    pass.requeued++;
  }

  async fail(token: string, row: SmsRow, code: string, message: string, status: 'failed' | 'capped' = 'failed'): Promise<void> {
    await inTransaction(this.ds, async (m) => {
      const failed = await this.repo.markFailed(m, token, row.id, code, message, status);
      if (failed) await this.events(m, [failed]);
    });
    this.log.warn(`sms ${row.id} ${status}: ${code}`);
  }

  private async events(m: EntityManager, rows: SmsRow[]): Promise<void> {
    await this.outbox.appendMany(m, rows.map(statusEvent));
  }
}

export function attemptOf(provider: string, kind: SmsAttempt['kind'], result: string, code?: string): SmsAttempt {
  return { at: new Date().toISOString(), provider, kind, result, ...(code ? { code: code.slice(0, 120) } : {}) };
}

export function emptyPass(): SenderPass {
  return { claimed: 0, recovered: 0, sent: 0, requeued: 0, failed: 0, capped: 0, unknown: 0 };
}

export function sumPasses(a: SenderPass, b: SenderPass): SenderPass {
  return {
    claimed: a.claimed + b.claimed,
    recovered: a.recovered + b.recovered,
    sent: a.sent + b.sent,
    requeued: a.requeued + b.requeued,
    failed: a.failed + b.failed,
    capped: a.capped + b.capped,
    unknown: a.unknown + b.unknown,
  };
}

function item(r: SmsRow): SmsItem {
  return { messageId: r.id, to: r.to, template: r.template, params: r.params };
}

/** True when every outcome is the same per-number limit answer (a request-level answer). */
function sameCap(outcomes: SendOutcome[], n: number): boolean {
  const first = outcomes[0];
  return (
    outcomes.length === n &&
    first?.result === 'failed' &&
    first.failure === 'capped' &&
    outcomes.every((o) => o.result === 'failed' && o.failure === 'capped' && o.code === first.code && o.message === first.message)
  );
}

/**
 * Across the chain: a provider's per-number limit makes the message `capped` whatever the
 * others said (it is final for today: phone the person); otherwise it is permanently failed
 * only if every provider said so.
 */
function mergeFailure(prev: Failure | undefined, o: Failure): Failure {
  if (!prev) return { failure: o.failure, code: o.code, message: o.message };
  if (prev.failure === 'capped') return prev;
  if (o.failure === 'capped') return { failure: o.failure, code: o.code, message: o.message };
  return prev.failure === 'permanent' && o.failure === 'permanent'
    ? o
    : { ...o, failure: o.failure === 'permanent' ? prev.failure : o.failure };
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { SmsRepository, SmsRow } from './sms.repository';
import type { QueryOutcome } from './sms.types';
import { attemptOf, emptyPass, SenderPass, SmsDispatch, sumPasses } from './sms-dispatch';
import { SmsProviderWatch } from './sms-provider-watch';
import { SmsProviders } from './sms-providers';

export type { SenderPass } from './sms-dispatch';
export { statusEvent } from './sms-dispatch';

/**
 * The worker side, in two lanes that never wait for each other: the fresh lane claims due
 * messages and sends them (SmsDispatch); the recovery lane asks providers about unknown
 * outcomes (messages left `sending` after their lease) before anything is sent again.
 *
 * Never twice for one message+attempt: before each provider request the attempt (number,
 * provider, attempt key) is committed as `sending` under this pass's claim token and lease; a
 * row whose lease ran out is only re-sent after the provider's query API says that attempt did
 * not leave. Every later write is guarded by the claim token, so a sender that lost its lease
 * cannot overwrite or re-send what another sender took over.
 */
@Injectable()
export class SmsSender {
  private readonly log = new Logger(SmsSender.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: SmsRepository,
    private readonly providers: SmsProviders,
    private readonly watch: SmsProviderWatch,
    private readonly dispatch: SmsDispatch,
  ) {}

  /** Both lanes once, fresh first (tests and benches; the worker runs each lane in its own loop). */
  async runOnce(): Promise<SenderPass> {
    const fresh = await this.runFresh();
    const recovery = await this.runRecovery();
    return sumPasses(fresh, recovery);
  }

  /**
   * The fresh lane: due `queued` rows (first sends, backed-off retries) down the chain. An
   * unknown outcome is handed to the recovery lane at once, so a slow status API never holds
   * back the next first send.
   */
  async runFresh(): Promise<SenderPass> {
    const cfg = this.config.sms.sender;
    const token = randomUUID();
    const pass = emptyPass();
    const rows = await this.repo.claimFresh(token, cfg.claimLimit, cfg.leaseSeconds);
    pass.claimed = rows.length;
    if (!rows.length) return pass;
    await this.withLease(token, () => this.dispatch.sendAll(token, rows, pass, () => []));
    return pass;
  }

  /**
   * The recovery lane: rows left `sending` after their lease (unknown outcomes, dead senders).
   * Each is asked of its provider (at most `queryConcurrency` look-ups in flight, no new one
   * after `recoveryPassSeconds`) before it is re-sent; the lease is extended while it works.
   */
  async runRecovery(): Promise<SenderPass> {
    const cfg = this.config.sms.sender;
    const token = randomUUID();
    const pass = emptyPass();
    const orphans = await this.repo.claimOrphans(token, cfg.recoveryClaimLimit, cfg.leaseSeconds);
    pass.claimed = orphans.length;
    if (!orphans.length) return pass;
    await this.withLease(token, async () => {
      const resend = await this.recover(token, orphans, pass, Date.now() + cfg.recoveryPassSeconds * 1000);
      // The provider whose attempt failed goes last in the chain for its re-send.
      await this.dispatch.sendAll(token, resend, pass, (r) => (r.errorCode && r.provider ? [r.provider] : []));
    });
    return pass;
  }

  /** Extends the claim's lease every third of it while `fn` works, so no one takes rows still in hand. */
  private async withLease<T>(token: string, fn: () => Promise<T>): Promise<T> {
    const seconds = this.config.sms.sender.leaseSeconds;
    const timer = setInterval(
      () => {
        this.repo.extendLease(token, seconds).catch((err: unknown) => this.log.warn(`lease extension failed: ${String(err)}`));
      },
      (seconds * 1000) / 3,
    );
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  /** Rows found `sending` after their lease: ask the provider whether that attempt left. */
  private async recover(token: string, orphans: SmsRow[], pass: SenderPass, deadline: number): Promise<SmsRow[]> {
    const resend: SmsRow[] = [];
    const late: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < orphans.length) {
        const row = orphans[next++];
        if (Date.now() > deadline) {
          late.push(row.id);
          continue;
        }
        if (await this.recoverOne(token, row, pass)) resend.push(row);
      }
    };
    const n = Math.min(this.config.sms.sender.queryConcurrency, orphans.length);
    await Promise.all(Array.from({ length: n }, worker));
    // Out of time for this pass: back to the lane at once (still `sending`, asked next pass).
    await this.repo.handOver(token, late, 'OUTCOME_UNKNOWN', 'status look-up not reached in this pass');
    return resend;
  }

  /** One look-up; true when the row must be sent again (the attempt did not leave). */
  private async recoverOne(token: string, row: SmsRow, pass: SenderPass): Promise<boolean> {
    const provider = row.provider ? this.providers.get(row.provider) : undefined;
    const outId = row.outId;
    if (!outId || !provider) return true; // claimed but never marked for a provider request: nothing left
    let q: QueryOutcome;
    try {
      [q] = await this.watch.timed(provider.name, 'query', () =>
        provider.query([
          {
            messageId: row.id,
            to: row.to,
            outId,
            providerMessageId: row.providerMessageId,
            sentAfter: row.sendingAt ?? row.createdAt,
          },
        ]),
      );
    } catch (err) {
      q = { messageId: row.id, found: 'unknown', reason: err instanceof Error ? err.message : String(err) };
    }
    q ??= { messageId: row.id, found: 'unknown', reason: 'no answer' };
    this.watch.queried(provider.name, q);
    await this.repo.recordAttempts([
      { id: row.id, attempt: attemptOf(provider.name, 'query', queryResult(q), q.found === 'unknown' ? q.reason : undefined) },
    ]);
    if (q.found === true) {
      const n = (
        await this.dispatch.recordSent(
          token,
          provider,
          [row],
          [{ id: row.id, providerMessageId: q.providerMessageId ?? row.providerMessageId }],
        )
      ).length;
      pass.sent += n; // not `+= await`: look-ups run concurrently
      pass.recovered++;
      return false;
    }
    if (q.found === false) {
      if (row.attempt < this.config.sms.sender.maxAttempts) return true;
      await this.dispatch.fail(token, row, row.errorCode ?? 'NOT_SENT', `gave up after ${row.attempt} attempts; the last did not leave`);
      pass.failed++;
      return false;
    }
    await this.unknownOutcome(token, row, q.found === 'unknown' ? q.reason : 'no answer', pass);
    return false;
  }

  private async unknownOutcome(token: string, row: SmsRow, reason: string, pass: SenderPass): Promise<void> {
    const since = (row.sendingAt ?? row.createdAt).getTime();
    if (Date.now() - since > this.config.sms.sender.unknownGiveUpSeconds * 1000) {
      await this.dispatch.fail(
        token,
        row,
        'OUTCOME_UNKNOWN',
        `provider ${row.provider} could not say whether attempt ${row.attempt} left: ${reason}`,
      );
      pass.failed++;
    } else {
      await this.repo.release(token, row.id, this.config.sms.sender.leaseSeconds, 'OUTCOME_UNKNOWN');
      pass.unknown++;
    }
  }
}

function queryResult(q: QueryOutcome): string {
  return q.found === true ? 'found' : q.found === false ? 'not_found' : 'unknown';
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { AppError } from '@fangxun/common';
import { inTransaction } from '@fangxun/database';
import { OutboxService } from '@fangxun/database';
import { CallRepository, CallRow } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { StepRepository } from '../escalation/step.repository';
import { WakeupErrors } from '../wakeup.errors';
import { CallAnsweredPayload, WAKEUP_TOPICS } from '../wakeup.topics';
import type { AckChannel, Stage } from '../wakeup.types';
import { AckInput, ackKey, AckRepository } from './ack.repository';
import type { AckOutcome, AckRequest } from './ack.service';

/** One answer waiting to be written: the request, its own check of the call, and when it arrived. */
export interface AckItem {
  req: AckRequest;
  check?: (call: CallRow) => void;
  /** Arrival time: lateness is judged by it, not by when the batch runs. */
  at: Date;
}

/** Per item: the outcome, or the AppError that refused it (no such call, not yours, out of scope). */
export type AckResult = AckOutcome | AppError;

interface Plan {
  item: AckItem;
  late: boolean;
  /** The row of its own stage was its batch's candidate for "first" (else it is kept, not counted). */
  candidate: boolean;
}

/**
 * Writes a batch of answers in one transaction with a fixed number of statements, whatever its
 * size: lock the calls (id order), record every answer (the unique partial index decides which
 * is first, across batches, channels and replicas), mark the winners received/done, cancel
 * their timers, publish the changes. In arrival order within a batch, so the rules are those of
 * one answer after the other: the first valid answer per call and stage counts, "done" implies
 * "received", an answer at or after the deadline or after the campaign closed is late.
 */
@Injectable()
export class AckLedger {
  constructor(
    private readonly acks: AckRepository,
    private readonly calls: CallRepository,
    private readonly steps: StepRepository,
    private readonly channels: CallChannels,
    private readonly outbox: OutboxService,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  apply(items: AckItem[]): Promise<AckResult[]> {
    return inTransaction(this.ds, async (m) => {
      const ids = [...new Set(items.map((i) => i.req.callId))];
      const locked = new Map((await this.calls.lockForAnswerMany(m, ids)).map((c) => [c.id, c]));
      const rows: Array<AckInput & { tryAccept: boolean }> = [];
      const itemOf = new Map<AckInput, AckItem>();
      const claimed = new Set<string>();
      const received = new Set(ids.filter((id) => locked.get(id)?.receivedAt));
      const add = (base: AckInput): boolean => {
        const key = ackKey(base.callId, base.stage);
        const tryAccept = !claimed.has(key);
        claimed.add(key);
        const row = { ...base, tryAccept };
        rows.push(row);
        itemOf.set(row, current!);
        return tryAccept;
      };
      let current: AckItem | undefined;
      const plans: Array<Plan | AppError> = items.map((item) => {
        current = item;
        const call = locked.get(item.req.callId);
        if (!call)
          return new AppError(WakeupErrors.CallNotFound, `call ${item.req.callId} not found`, [
            { field: 'callId', problem: 'no such call' },
          ]);
        try {
          item.check?.(call);
        } catch (err) {
          if (err instanceof AppError) return err;
          throw err;
        }
        // At the deadline itself escalation fires (due_at <= now): an answer then is already late.
        // An answer after the call was closed (stood down, cancelled) is kept, marked late like one after the campaign closed.
        const late = item.at >= call.deadlineAt || call.campaignClosed || call.closedState !== null;
        const base: AckInput = { ...item.req, late, at: item.at, counts: item.req.counts ?? null };
        // "Done" without "received" first (a warden who answers only when finished) answers both.
        if (item.req.stage === 'done' && !received.has(call.id)) add({ ...base, stage: 'received', counts: null });
        received.add(call.id);
        return { item, late, candidate: add(base) };
      });

      const won = await this.acks.recordMany(m, rows);
      const winners = rows.filter((r) => r.tryAccept && won.has(ackKey(r.callId, r.stage)));
      const after = new Map<string, CallRow>(locked);
      const receivedRows = winners.filter((r) => r.stage === 'received');
      for (const c of await this.calls.setReceivedMany(
        m,
        receivedRows.map((r) => ({ id: r.callId, at: r.at, via: r.channel, late: r.late })),
      ))
        after.set(c.id, c);
      const doneRows = winners.filter((r) => r.stage === 'done');
      for (const c of await this.calls.setDoneMany(
        m,
        doneRows.map((r) => ({ id: r.callId, at: r.at, via: r.channel, counts: r.counts ?? null, late: r.late })),
      ))
        after.set(c.id, c);
      // "Received" stops the call's repeats and escalation.
      for (const [via, group] of groupBy(receivedRows, (r) => r.channel)) {
        const at = new Date(Math.max(...group.map((r) => r.at.getTime())));
        await this.steps.cancelPendingForCalls(m, [...new Set(group.map((r) => r.callId))], `answered via ${via as AckChannel}`, at);
      }
      const changedBy = new Map<string, Stage>();
      for (const r of winners) changedBy.set(r.callId, r.stage === 'done' || !changedBy.has(r.callId) ? r.stage : changedBy.get(r.callId)!);
      await this.channels.answeredMany(
        m,
        [...changedBy].map(([id, stage]) => ({ call: after.get(id)!, stage })),
      );
      // Other modules (a response order signed for, reported done) learn of it here, one statement for the batch.
      await this.outbox.appendMany(
        m,
        winners.map((r) => {
          const call = after.get(r.callId)!;
          const payload: CallAnsweredPayload = {
            callId: call.id,
            campaignId: call.campaignId,
            sourceKey: locked.get(call.id)!.campaignSourceKey,
            holderId: call.holderId,
            origin: call.origin,
            stage: r.stage,
            via: r.channel,
            at: r.at.toISOString(),
            late: r.late,
            counts: r.counts ?? null,
          };
          return { topic: WAKEUP_TOPICS.callAnswered, key: call.id, payload: { ...payload } };
        }),
      );
      // The answers that changed a call (the first per call and stage), one INSERT for the batch.
      await this.audit.appendMany(
        m,
        winners.map((r) => {
          const req = itemOf.get(r)!.req;
          return {
            actor: req.actor ?? { kind: 'link' as const, holderId: after.get(r.callId)!.holderId ?? 'unknown', via: r.channel },
            action: `wakeup_call.${r.stage}`,
            entity: 'wakeup_call',
            entityId: r.callId,
            before: { [r.stage]: null },
            after: {
              [r.stage]: r.at.toISOString(),
              via: r.channel,
              late: r.late,
              ...(r.note && { note: r.note }),
              ...(r.counts && { counts: r.counts }),
            },
          };
        }),
      );

      return plans.map((p) => {
        if (p instanceof AppError) return p;
        const call = after.get(p.item.req.callId)!;
        return {
          callId: call.id,
          stage: p.item.req.stage,
          accepted: p.candidate && won.has(ackKey(call.id, p.item.req.stage)),
          late: p.late,
          receivedAt: call.receivedAt?.toISOString() ?? null,
          doneAt: call.doneAt?.toISOString() ?? null,
        };
      });
    });
  }
}

function groupBy<T, K>(xs: T[], key: (x: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

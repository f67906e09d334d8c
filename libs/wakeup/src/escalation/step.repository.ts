import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PlannedStep } from './policy';

export interface StepRow {
  id: string;
  callId: string;
  kind: 'first_sms' | 'repeat_sms' | 'escalate';
  seq: number;
  dueAt: Date;
  state: 'pending' | 'done' | 'cancelled';
  attempts: number;
}

const STEP_COLUMNS = `s.id::text, s.call_id as "callId", s.kind, s.seq, s.due_at as "dueAt", s.state, s.attempts`;

/**
 * Durable timers. A tick claims due steps with FOR UPDATE SKIP LOCKED and a lease; the step is
 * then fired in its own transaction that locks it again and checks it is still pending, so two
 * workers (or a worker that lost its lease) never fire one step twice, and a crash between
 * claim and fire only delays the step until the lease ends.
 */
@Injectable()
export class StepRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insertMany(m: EntityManager, rows: Array<{ callId: string; step: PlannedStep }>): Promise<void> {
    if (!rows.length) return;
    await m.query(
      `insert into wakeup_steps (call_id, kind, seq, due_at)
       select * from unnest($1::uuid[], $2::text[], $3::smallint[], $4::timestamptz[])
       on conflict on constraint wakeup_steps_once do nothing`,
      [rows.map((r) => r.callId), rows.map((r) => r.step.kind), rows.map((r) => r.step.seq), rows.map((r) => r.step.dueAt)],
    );
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<StepRow[]> {
    return this.ds.query(
      `with due as (
         select id from wakeup_steps
         where state = 'pending' and due_at <= $1 and (leased_until is null or leased_until < $1)
         order by due_at, id limit $2 for update skip locked),
       leased as (update wakeup_steps s set leased_until = $3, attempts = s.attempts + 1 from due where s.id = due.id returning s.*)
       select ${STEP_COLUMNS} from leased s order by s.due_at, s.id`,
      [now, limit, leaseUntil],
    );
  }

  /** The calls of these steps (no lock): the call is locked first, then its steps, everywhere. */
  async callIdsOf(m: EntityManager, ids: string[]): Promise<string[]> {
    const rows: Array<{ callId: string }> = await m.query(
      'select distinct call_id as "callId" from wakeup_steps where id = any($1::bigint[])',
      [ids],
    );
    return rows.map((r) => r.callId);
  }

  /** The step locked, if it is still pending (another worker may have fired it meanwhile). */
  async lockPending(m: EntityManager, id: string): Promise<StepRow | null> {
    const rows: StepRow[] = await m.query(`select ${STEP_COLUMNS} from wakeup_steps s where s.id = $1 and s.state = 'pending' for update`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** These steps locked, those still pending (a batch of first SMS). */
  async lockPendingMany(m: EntityManager, ids: string[]): Promise<StepRow[]> {
    return m.query(
      `select ${STEP_COLUMNS} from wakeup_steps s where s.id = any($1::bigint[]) and s.state = 'pending' order by s.id for update`,
      [ids],
    );
  }

  async finishMany(m: EntityManager, ids: string[], state: 'done' | 'cancelled', result: string, at: Date): Promise<void> {
    if (!ids.length) return;
    await m.query('update wakeup_steps set state = $2, result = $3, done_at = $4, leased_until = null where id = any($1::bigint[])', [
      ids,
      state,
      result.slice(0, 200),
      at,
    ]);
  }

  async finish(m: EntityManager, id: string, state: 'done' | 'cancelled', result: string, at: Date): Promise<void> {
    await m.query('update wakeup_steps set state = $2, result = $3, done_at = $4, leased_until = null where id = $1', [
      id,
      state,
      result.slice(0, 200),
      at,
    ]);
  }

  async cancelPendingForCalls(m: EntityManager, callIds: string[], reason: string, at: Date): Promise<void> {
    if (!callIds.length) return;
    await m.query(
      `update wakeup_steps set state = 'cancelled', result = $2, done_at = $3 where call_id = any($1::uuid[]) and state = 'pending'`,
      [callIds, reason, at],
    );
  }

  async cancelPendingForCampaign(m: EntityManager, campaignId: string, reason: string, at: Date): Promise<void> {
    await m.query(
      `update wakeup_steps s set state = 'cancelled', result = $2, done_at = $3
       from wakeup_calls k where k.id = s.call_id and k.campaign_id = $1 and s.state = 'pending'`,
      [campaignId, reason, at],
    );
  }

  /** The pending steps of these calls, locked (the calls are locked first by the caller). */
  async lockPendingForCalls(m: EntityManager, callIds: string[]): Promise<StepRow[]> {
    if (!callIds.length) return [];
    return m.query(
      `select ${STEP_COLUMNS} from wakeup_steps s where s.call_id = any($1::uuid[]) and s.state = 'pending' order by s.id for update`,
      [callIds],
    );
  }

  /** Moves pending steps to another place in the plan (a downgrade's longer timers). */
  async replan(m: EntityManager, rows: Array<{ id: string; kind: StepRow['kind']; seq: number; dueAt: Date }>): Promise<void> {
    if (!rows.length) return;
    await m.query(
      `update wakeup_steps s set kind = v.kind, seq = v.seq, due_at = v.due, leased_until = null
       from unnest($1::bigint[], $2::text[], $3::smallint[], $4::timestamptz[]) v(id, kind, seq, due)
       where s.id = v.id and s.state = 'pending'`,
      [rows.map((r) => r.id), rows.map((r) => r.kind), rows.map((r) => r.seq), rows.map((r) => r.dueAt)],
    );
  }

  async forCall(callId: string): Promise<StepRow[]> {
    return this.ds.query(`select ${STEP_COLUMNS} from wakeup_steps s where s.call_id = $1 order by s.due_at, s.id`, [callId]);
  }
}

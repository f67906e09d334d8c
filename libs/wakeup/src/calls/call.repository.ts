import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AckChannel, CallReason, Recipient } from '../wakeup.types';

export interface CallRow {
  id: string;
  campaignId: string;
  holderId: string | null;
  holderName: string;
  holderRole: string;
  divisionCode: string;
  divisionPath: string;
  mobile: string;
  reasons: CallReason[];
  origin: 'recipient' | 'escalation';
  escalatedFrom: string | null;
  depth: number;
  createdAt: Date;
  deadlineAt: Date;
  receivedAt: Date | null;
  receivedVia: AckChannel | null;
  doneAt: Date | null;
  doneVia: AckChannel | null;
  doneCounts: Record<string, number> | null;
  late: boolean;
  escalatedAt: Date | null;
  pushDeliveredAt: Date | null;
  smsStatus: string | null;
  smsCapped: boolean;
  /** Closed without an answer being needed any more (see CallCloseState); null while the call stands. */
  closedState: CallCloseState | null;
  closedAt: Date | null;
  closedReason: string | null;
  standDownToldAt: Date | null;
}

/**
 * Why a call stopped standing: stood_down (an Update narrowed the warning and the person is no
 * longer in it), cancelled (the warning was cancelled, lifted or expired), superseded (an
 * upgrade called the person again in a new campaign), reopened (he was stood down, a later
 * Update put him back on the ground and he has a fresh call in the same campaign: this one is
 * kept for the ledger only, never counted on the board). None of these is "unreached".
 */
export type CallCloseState = 'stood_down' | 'cancelled' | 'superseded' | 'reopened';

/** SQL: the call is not a `reopened` one (the person's current call in its campaign). */
export const NOT_REOPENED = `k.closed_state is distinct from 'reopened'`;

export const CALL_COLUMNS = `k.id, k.campaign_id as "campaignId", k.holder_id as "holderId", k.holder_name as "holderName",
  k.holder_role as "holderRole", k.division_code as "divisionCode", k.division_path::text as "divisionPath", k.mobile,
  k.reasons, k.origin, k.escalated_from as "escalatedFrom", k.depth, k.created_at as "createdAt", k.deadline_at as "deadlineAt",
  k.received_at as "receivedAt", k.received_via as "receivedVia", k.done_at as "doneAt", k.done_via as "doneVia",
  k.done_counts as "doneCounts", k.late, k.escalated_at as "escalatedAt", k.push_delivered_at as "pushDeliveredAt",
  k.sms_status as "smsStatus", k.sms_capped as "smsCapped", k.closed_state as "closedState", k.closed_at as "closedAt",
  k.closed_reason as "closedReason", k.stand_down_told_at as "standDownToldAt"`;

/**
 * The town a call counts under on the board: the second level of its division path; a
 * city-level person counts under the city. (`townCodes` does the same in memory.)
 */
export const TOWN_OF_CALL = `coalesce(nullif(split_part(k.division_path::text, '.', 2), ''), k.division_path::text)`;

/** The towns of these calls, as in TOWN_OF_CALL: the rooms that must see their campaign. */
export function townCodes(calls: Array<{ divisionPath: string }>): string[] {
  return [...new Set(calls.map((c) => c.divisionPath.split('.').slice(0, 2).pop()!))];
}

export interface NewCalls {
  campaignId: string;
  recipients: Recipient[];
  origin: 'recipient' | 'escalation';
  escalatedFrom: string | null;
  depth: number;
  createdAt: Date;
  deadlineAt: Date;
}

@Injectable()
export class CallRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * One statement for the whole fan-out. A person already called in this campaign is skipped
   * (one current call per person per campaign: any but a `reopened` one); the rows actually
   * created come back.
   */
  async insertMany(m: EntityManager, c: NewCalls): Promise<CallRow[]> {
    if (!c.recipients.length) return [];
    const col = <K extends keyof Recipient>(k: K) => c.recipients.map((r) => r[k]);
    return m.query(
      `with k as (
         insert into wakeup_calls (campaign_id, holder_id, holder_name, holder_role, division_code, division_path, mobile, reasons,
                                   origin, escalated_from, depth, created_at, deadline_at)
         select $1, r.holder_id, r.name, r.role, r.code, r.path::ltree, r.mobile, r.reasons::jsonb, $9, $10, $11, $12, $13
         from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
              as r(holder_id, name, role, code, path, mobile, reasons)
         on conflict (campaign_id, holder_id) where closed_state is distinct from 'reopened' do nothing
         returning *)
       select ${CALL_COLUMNS} from k`,
      [
        c.campaignId,
        col('holderId'),
        col('name'),
        col('role'),
        col('divisionCode'),
        col('divisionPath'),
        col('mobile'),
        c.recipients.map((r) => JSON.stringify(r.reasons)),
        c.origin,
        c.escalatedFrom,
        c.depth,
        c.createdAt,
        c.deadlineAt,
      ],
    );
  }

  /** The campaign's calls, locked in id order (a stand-down or a re-plan of the whole campaign). */
  async lockCampaign(m: EntityManager, campaignId: string): Promise<CallRow[]> {
    return m.query(`select ${CALL_COLUMNS} from wakeup_calls k where k.campaign_id = $1 order by k.id for update`, [campaignId]);
  }

  /** Closes those of these calls still standing; returns the calls closed now. */
  async close(m: EntityManager, ids: string[], state: CallCloseState, reason: string, at: Date): Promise<CallRow[]> {
    if (!ids.length) return [];
    return m.query(
      `with u as (update wakeup_calls set closed_state = $2, closed_reason = $3, closed_at = $4
                  where id = any($1::uuid[]) and closed_state is null returning *)
       select ${CALL_COLUMNS} from u k`,
      [ids, state, reason.slice(0, 200), at],
    );
  }

  /**
   * Stood-down calls whose people are back on the ground: marked `reopened` (kept, with their
   * answers and stand-down message, for the ledger) so a fresh call can be made for each.
   */
  async markReopened(m: EntityManager, ids: string[], reason: string, at: Date): Promise<void> {
    if (!ids.length) return;
    await m.query(
      `update wakeup_calls set closed_state = 'reopened', closed_reason = $2, closed_at = $3
       where id = any($1::uuid[]) and closed_state = 'stood_down'`,
      [ids, reason.slice(0, 200), at],
    );
  }

  /** Marks these calls' people told of the stand-down; returns only the calls not told before (tell each once). */
  async markToldStandDown(m: EntityManager, ids: string[], at: Date): Promise<CallRow[]> {
    if (!ids.length) return [];
    return m.query(
      `with u as (update wakeup_calls set stand_down_told_at = $2 where id = any($1::uuid[]) and stand_down_told_at is null returning *)
       select ${CALL_COLUMNS} from u k`,
      [ids, at],
    );
  }

  /** A downgrade's new timers: deadline of each still-silent call moved to the new level's policy. */
  async setDeadlines(m: EntityManager, pairs: Array<[string, Date]>): Promise<void> {
    if (!pairs.length) return;
    await m.query(`update wakeup_calls k set deadline_at = v.d from unnest($1::uuid[], $2::timestamptz[]) v(id, d) where k.id = v.id`, [
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    ]);
  }

  async countIn(m: EntityManager, campaignId: string): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await m.query('select count(*)::int as n from wakeup_calls where campaign_id = $1', [campaignId]);
    return n;
  }

  async townsOf(m: EntityManager, campaignId: string): Promise<string[]> {
    const rows: Array<{ code: string }> = await m.query(
      `select distinct ${TOWN_OF_CALL} as code from wakeup_calls k where k.campaign_id = $1`,
      [campaignId],
    );
    return rows.map((r) => r.code);
  }

  async get(id: string, m?: EntityManager): Promise<CallRow | null> {
    const rows: CallRow[] = await (m ?? this.ds).query(`select ${CALL_COLUMNS} from wakeup_calls k where k.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The call, locked: acknowledgements and escalation steps of one call are serialised on it. */
  async lock(m: EntityManager, id: string): Promise<CallRow | null> {
    const rows: CallRow[] = await m.query(`select ${CALL_COLUMNS} from wakeup_calls k where k.id = $1 for update`, [id]);
    return rows[0] ?? null;
  }

  /** Several calls locked, in id order (so two batches never wait on each other crosswise). */
  async lockMany(m: EntityManager, ids: string[]): Promise<CallRow[]> {
    return m.query(`select ${CALL_COLUMNS} from wakeup_calls k where k.id = any($1::uuid[]) order by k.id for update`, [ids]);
  }

  /** The call locked, with its campaign's state (one round trip for the acknowledgement path). */
  async lockForAnswer(m: EntityManager, id: string): Promise<(CallRow & { campaignClosed: boolean }) | null> {
    const rows: Array<CallRow & { campaignClosed: boolean }> = await m.query(
      `select ${CALL_COLUMNS}, c.state = 'closed' as "campaignClosed"
       from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id where k.id = $1 for update of k`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Several calls locked in id order, each with its campaign's state: one round trip for a batch
   * of answers. NO KEY UPDATE: it still serialises with escalation steps (which lock FOR UPDATE),
   * but not with foreign-key checks of rows that merely point at one of these calls (an
   * escalation recorded against a call in the batch), which a batch holding many calls would
   * otherwise wait on crosswise.
   */
  async lockForAnswerMany(
    m: EntityManager,
    ids: string[],
  ): Promise<Array<CallRow & { campaignClosed: boolean; campaignSourceKey: string }>> {
    if (!ids.length) return [];
    return m.query(
      `select ${CALL_COLUMNS}, c.state = 'closed' as "campaignClosed", c.source_key as "campaignSourceKey"
       from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id where k.id = any($1::uuid[]) order by k.id
       for no key update of k`,
      [ids],
    );
  }

  /** "Received" for several calls (first time only), each with its own time, channel and lateness; returns the calls changed. */
  async setReceivedMany(m: EntityManager, rows: Array<{ id: string; at: Date; via: AckChannel; late: boolean }>): Promise<CallRow[]> {
    if (!rows.length) return [];
    return m.query(
      `with u as (
         update wakeup_calls k set received_at = v.at, received_via = v.via, late = k.late or v.late
         from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::boolean[]) as v(id, at, via, late)
         where k.id = v.id and k.received_at is null
         returning k.*)
       select ${CALL_COLUMNS} from u k`,
      [rows.map((r) => r.id), rows.map((r) => r.at), rows.map((r) => r.via), rows.map((r) => r.late)],
    );
  }

  /** "Done" for several calls (first time only); returns the calls changed. */
  async setDoneMany(
    m: EntityManager,
    rows: Array<{ id: string; at: Date; via: AckChannel; counts: Record<string, number> | null; late: boolean }>,
  ): Promise<CallRow[]> {
    if (!rows.length) return [];
    return m.query(
      `with u as (
         update wakeup_calls k set done_at = v.at, done_via = v.via, done_counts = v.counts, late = k.late or v.late
         from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::jsonb[], $5::boolean[]) as v(id, at, via, counts, late)
         where k.id = v.id and k.done_at is null
         returning k.*)
       select ${CALL_COLUMNS} from u k`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.at),
        rows.map((r) => r.via),
        rows.map((r) => (r.counts ? JSON.stringify(r.counts) : null)),
        rows.map((r) => r.late),
      ],
    );
  }

  async findInCampaign(m: EntityManager, campaignId: string, holderId: string): Promise<CallRow | null> {
    const rows: CallRow[] = await m.query(
      `select ${CALL_COLUMNS} from wakeup_calls k where k.campaign_id = $1 and k.holder_id = $2 and ${NOT_REOPENED}`,
      [campaignId, holderId],
    );
    return rows[0] ?? null;
  }

  /** Calls of active campaigns still waiting for "received" from this number, oldest first. */
  async openByPhone(phone: string): Promise<CallRow[]> {
    return this.ds.query(
      `select ${CALL_COLUMNS} from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id
       where k.mobile = $1 and k.received_at is null and k.closed_state is null and c.state = 'active' order by k.created_at, k.id`,
      [phone],
    );
  }

  async forCampaign(campaignId: string, withinPath?: string): Promise<CallRow[]> {
    return this.ds.query(
      `select ${CALL_COLUMNS} from wakeup_calls k
       where k.campaign_id = $1 and ${NOT_REOPENED} and ($2::ltree is null or k.division_path <@ $2::ltree)
       order by k.division_path, k.holder_name, k.id`,
      [campaignId, withinPath ?? null],
    );
  }

  /** Marks "received" (first time only); returns the call as it now is, or null if it already was. */
  async setReceived(m: EntityManager, id: string, at: Date, via: AckChannel, late: boolean): Promise<CallRow | null> {
    const rows: CallRow[] = await m.query(
      `with u as (update wakeup_calls set received_at = $2, received_via = $3, late = late or $4 where id = $1 and received_at is null returning *)
       select ${CALL_COLUMNS} from u k`,
      [id, at, via, late],
    );
    return rows[0] ?? null;
  }

  async setDone(
    m: EntityManager,
    id: string,
    at: Date,
    via: AckChannel,
    counts: Record<string, number> | null,
    late: boolean,
  ): Promise<CallRow | null> {
    const rows: CallRow[] = await m.query(
      `with u as (update wakeup_calls set done_at = $2, done_via = $3, done_counts = $4, late = late or $5 where id = $1 and done_at is null returning *)
       select ${CALL_COLUMNS} from u k`,
      [id, at, via, counts ? JSON.stringify(counts) : null, late],
    );
    return rows[0] ?? null;
  }

  async markEscalated(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query('update wakeup_calls set escalated_at = $2 where id = $1 and escalated_at is null', [id, at]);
  }

  async markSmsCapped(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await m.query('update wakeup_calls set sms_capped = true where id = any($1::uuid[])', [ids]);
  }

  /** First push delivery wins; returns the calls newly marked, for the board. */
  async markPushDelivered(ids: string[], at: Date): Promise<CallRow[]> {
    if (!ids.length) return [];
    return this.ds.query(
      `with u as (update wakeup_calls set push_delivered_at = $2 where id = any($1::uuid[]) and push_delivered_at is null returning *)
       select ${CALL_COLUMNS} from u k`,
      [ids, at],
    );
  }

  /**
   * SMS statuses from the sender and receipts, [callId, status] pairs; "delivered" is never
   * overwritten. "capped" (a provider's per-number limit) also flags the call "phone him", as
   * our own daily cap does. Returns the calls changed.
   */
  async setSmsStatuses(m: EntityManager, pairs: Array<[string, string]>): Promise<CallRow[]> {
    return m.query(
      `with u as (
         update wakeup_calls k set sms_status = v.status, sms_capped = k.sms_capped or v.status = 'capped'
         from unnest($1::uuid[], $2::text[]) as v(id, status)
         where k.id = v.id and k.sms_status is distinct from 'delivered' and k.sms_status is distinct from v.status
         returning k.*)
       select ${CALL_COLUMNS} from u k`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  }
}

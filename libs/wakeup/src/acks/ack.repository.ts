import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AckChannel, Stage } from '../wakeup.types';

export interface AckInput {
  callId: string;
  stage: Stage;
  channel: AckChannel;
  late: boolean;
  byUserId?: string | null;
  fromPhone?: string | null;
  note?: string | null;
  counts?: Record<string, number> | null;
  at: Date;
}

export interface AckRow extends Required<Omit<AckInput, 'counts'>> {
  id: string;
  accepted: boolean;
  counts: Record<string, number> | null;
}

export const ackKey = (callId: string, stage: Stage): string => `${callId}:${stage}`;

const INSERT_MANY = `insert into wakeup_acks (call_id, stage, channel, accepted, late, by_user_id, from_phone, note, counts, at)
  select v.call_id, v.stage, v.channel, $accepted, v.late, v.by_user_id, v.from_phone, v.note, v.counts, v.at
  from unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[], $5::uuid[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[])
       with ordinality as v(call_id, stage, channel, late, by_user_id, from_phone, note, counts, at, n)
  order by v.n`;

function columns(rows: AckInput[]): unknown[] {
  return [
    rows.map((a) => a.callId),
    rows.map((a) => a.stage),
    rows.map((a) => a.channel),
    rows.map((a) => a.late),
    rows.map((a) => a.byUserId ?? null),
    rows.map((a) => a.fromPhone ?? null),
    rows.map((a) => a.note ?? null),
    rows.map((a) => (a.counts ? JSON.stringify(a.counts) : null)),
    rows.map((a) => a.at),
  ];
}

/** The acknowledgement ledger: every answer on every channel, the first valid one per stage accepted. */
@Injectable()
export class AckRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Records the answer; `accepted` is true for the first one of its call and stage (a unique
   * partial index decides, so two channels answering in the same millisecond cannot both win).
   */
  async record(m: EntityManager, a: AckInput): Promise<{ id: string; accepted: boolean }> {
    const params = [
      a.callId,
      a.stage,
      a.channel,
      a.late,
      a.byUserId ?? null,
      a.fromPhone ?? null,
      a.note ?? null,
      a.counts ? JSON.stringify(a.counts) : null,
      a.at,
    ];
    const first: Array<{ id: string }> = await m.query(
      `insert into wakeup_acks (call_id, stage, channel, accepted, late, by_user_id, from_phone, note, counts, at)
       values ($1, $2, $3, true, $4, $5, $6, $7, $8, $9) on conflict (call_id, stage) where accepted do nothing returning id::text`,
      params,
    );
    if (first.length) return { id: first[0].id, accepted: true };
    const dup: Array<{ id: string }> = await m.query(
      `insert into wakeup_acks (call_id, stage, channel, accepted, late, by_user_id, from_phone, note, counts, at)
       values ($1, $2, $3, false, $4, $5, $6, $7, $8, $9) returning id::text`,
      params,
    );
    return { id: dup[0].id, accepted: false };
  }

  /**
   * Records a batch of answers in two statements. Rows with `tryAccept` (at most one per call
   * and stage in a batch) are inserted as accepted unless the unique partial index already holds
   * an accepted answer for that call and stage — the index decides, as in `record`; the keys
   * that won come back. Every other row (and every loser) is kept as not accepted.
   */
  async recordMany(m: EntityManager, rows: Array<AckInput & { tryAccept: boolean }>): Promise<Set<string>> {
    const won = new Set<string>();
    const candidates = rows.filter((r) => r.tryAccept);
    if (candidates.length) {
      const inserted: Array<{ callId: string; stage: Stage }> = await m.query(
        `${INSERT_MANY.replace('$accepted', 'true')} on conflict (call_id, stage) where accepted do nothing
         returning call_id::text as "callId", stage`,
        columns(candidates),
      );
      for (const r of inserted) won.add(ackKey(r.callId, r.stage));
    }
    const kept = rows.filter((r) => !(r.tryAccept && won.has(ackKey(r.callId, r.stage))));
    if (kept.length) await m.query(INSERT_MANY.replace('$accepted', 'false'), columns(kept));
    return won;
  }

  async forCall(callId: string): Promise<AckRow[]> {
    return this.ds.query(
      `select id::text, call_id as "callId", stage, channel, accepted, late, by_user_id as "byUserId", from_phone as "fromPhone",
              note, counts, at from wakeup_acks where call_id = $1 order by at, id`,
      [callId],
    );
  }
}

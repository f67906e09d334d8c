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

  async forCall(callId: string): Promise<AckRow[]> {
    return this.ds.query(
      `select id::text, call_id as "callId", stage, channel, accepted, late, by_user_id as "byUserId", from_phone as "fromPhone",
              note, counts, at from wakeup_acks where call_id = $1 order by at, id`,
      [callId],
    );
  }
}

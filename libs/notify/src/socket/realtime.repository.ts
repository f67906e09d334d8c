import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RealtimeEventInput, RealtimeTx, SeenEvent } from './realtime.types';
import { RealtimeRow, toRealtimeRow } from './realtime-log-reader';

export type { RealtimeRow } from './realtime-log-reader';

/** The channel's NOTIFY channels: durable rows to tail, and ephemeral broadcasts (no Redis). */
export const NOTIFY_DURABLE = 'fx_realtime';
export const NOTIFY_LIVE = 'fx_realtime_live';

/** Which events a socket receives: its rooms, plus (command screens) every division below `scopePath`. */
export interface Subscription {
  rooms: string[];
  scopePath: string | null;
}

interface RawRow {
  id: string;
  room: string;
  event: string;
  payload: Record<string, unknown>;
  divisionPath: string | null;
}

/**
 * Named queries over realtime_events and realtime_cursors; division paths come from registry's
 * exported view `registry_divisions` (never its table).
 */
@Injectable()
export class RealtimeRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Inserts the events in the caller's transaction (must be one). The insert takes the log's
   * write lock before it draws any id and the transaction keeps it to its end: the dispatcher's
   * hole rule relies on that (see RealtimeDispatcher). NOTIFY is delivered on commit only, and
   * once per commit.
   */
  async insert(tx: RealtimeTx, events: RealtimeEventInput[]): Promise<void> {
    await tx.query(`select pg_notify('${NOTIFY_DURABLE}', '')`);
    await tx.query(
      `insert into realtime_events (room, event, payload, division_path)
       select x->>'room', x->>'event', x->'payload', d.path
       from jsonb_array_elements($1::jsonb) with ordinality as t(x, n)
       left join registry_divisions d on left(x->>'room', 9) = 'division:' and d.code = substr(x->>'room', 10)
       order by t.n`,
      [JSON.stringify(events)],
    );
  }

  /** The ltree path of a division (registry's exported view), or undefined for an unknown code. */
  async divisionPath(code: string): Promise<string | undefined> {
    const rows: Array<{ path: string }> = await this.ds.query('select path::text as path from registry_divisions where code = $1', [code]);
    return rows[0]?.path;
  }

  /** Ephemeral message for every api replica's LISTEN connection (no row; NOTIFY payload < 8000 bytes). */
  async notifyLive(message: string): Promise<void> {
    await this.ds.query('select pg_notify($1, $2)', [NOTIFY_LIVE, message]);
  }

  /** Events for a subscription in (afterId, upToId], newer than `since`, oldest first. */
  async forSubscription(
    sub: Subscription,
    afterId: number,
    upToId: number,
    since: Date,
    limit: number,
    keep: 'oldest' | 'newest' = 'oldest',
  ): Promise<RealtimeRow[]> {
    const raw: RawRow[] = await this.ds.query(
      `select * from (
         select id::text as id, room, event, payload, division_path::text as "divisionPath"
         from realtime_events
         where id > $1 and id <= $2 and created_at > $3
           and (room = any($4::text[]) or ($5::ltree is not null and division_path <@ $5::ltree))
         order by id ${keep === 'newest' ? 'desc' : 'asc'} limit $6) e
       order by e.id::bigint`,
      [afterId, upToId, since, sub.rooms, sub.scopePath, limit],
    );
    return raw.map(toRealtimeRow);
  }

  async seenCursor(userId: string): Promise<number> {
    const rows: Array<{ id: string }> = await this.ds.query('select last_seen_id::text as id from realtime_cursors where user_id = $1', [
      userId,
    ]);
    return rows.length ? Number(rows[0].id) : 0;
  }

  /** Moves the user's seen cursor forward (never back); returns the cursor before and after. */
  async recordSeen(userId: string, lastSeenId: number, at: Date): Promise<{ previousId: number; lastSeenId: number }> {
    const [row]: Array<{ previous: string | null; current: string }> = await this.ds.query(
      `with old as (select last_seen_id from realtime_cursors where user_id = $1),
       up as (
         insert into realtime_cursors (user_id, last_seen_id, seen_at) values ($1, $2, $3)
         on conflict (user_id) do update
           set last_seen_id = greatest(realtime_cursors.last_seen_id, excluded.last_seen_id), seen_at = excluded.seen_at
         returning last_seen_id)
       select (select last_seen_id from old)::text as previous, (select last_seen_id from up)::text as current`,
      [userId, lastSeenId, at],
    );
    return { previousId: Number(row.previous ?? 0), lastSeenId: Number(row.current) };
  }

  /** Deletes up to `batch` events created before `cutoff`; returns how many went. */
  async deleteBefore(cutoff: Date, batch: number): Promise<number> {
    const [row]: Array<{ n: number }> = await this.ds.query(
      `with gone as (
         delete from realtime_events where id in (
           select id from realtime_events where created_at < $1 order by id limit $2)
         returning 1)
       select count(*)::int as n from gone`,
      [cutoff, batch],
    );
    return row.n;
  }
}

export function toSeenEvents(rows: RealtimeRow[]): SeenEvent[] {
  return rows.map(({ id, room, event, payload }) => ({ id, room, event, payload }));
}

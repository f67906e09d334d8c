import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RealtimeEventInput, RealtimeTx, SeenEvent } from './realtime.types';

/** The channel's NOTIFY channels: durable rows to tail, and ephemeral broadcasts (no Redis). */
export const NOTIFY_DURABLE = 'fx_realtime';
export const NOTIFY_LIVE = 'fx_realtime_live';

/** An event row as the dispatcher and replay read it. */
export interface RealtimeRow {
  id: number;
  room: string;
  event: string;
  payload: Record<string, unknown>;
  /** ltree of a `division:` room (null for other rooms or an unknown code). */
  divisionPath: string | null;
}

/** Which events a socket receives: its rooms, plus (command screens) every division below `scopePath`. */
export interface Subscription {
  rooms: string[];
  scopePath: string | null;
}

/** Rows after a cursor and the snapshot they were read in (same statement, so the same snapshot). */
export interface RowsAfter {
  rows: RealtimeRow[];
  xmin: bigint;
  xmax: bigint;
  /** Largest id in the log (null when empty): below the watermark only if the log was reset. */
  maxId: number | null;
}

interface RawRow {
  id: string | null;
  room: string;
  event: string;
  payload: Record<string, unknown>;
  divisionPath: string | null;
  xmin: string;
  xmax: string;
  maxId: string | null;
}

const toRow = (r: Omit<RawRow, 'xmin' | 'xmax' | 'maxId'>): RealtimeRow => ({
  id: Number(r.id),
  room: r.room,
  event: r.event,
  payload: r.payload,
  divisionPath: r.divisionPath,
});

/** Named queries over realtime_events and realtime_cursors. */
@Injectable()
export class RealtimeRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Inserts the events in the caller's transaction (must be one). The transaction id is drawn
   * first, before any event id: the dispatcher's hole rule relies on every id's writer already
   * having an xid (see the migration). NOTIFY is delivered on commit only, and once per commit.
   */
  async insert(tx: RealtimeTx, events: RealtimeEventInput[]): Promise<void> {
    await tx.query(`select pg_current_xact_id(), pg_notify('${NOTIFY_DURABLE}', '')`);
    await tx.query(
      `insert into realtime_events (room, event, payload, division_path)
       select x->>'room', x->>'event', x->'payload', d.path
       from jsonb_array_elements($1::jsonb) with ordinality as t(x, n)
       left join divisions d on left(x->>'room', 9) = 'division:' and d.code = substr(x->>'room', 10)
       order by t.n`,
      [JSON.stringify(events)],
    );
  }

  /** Ephemeral message for every api replica's LISTEN connection (no row; NOTIFY payload < 8000 bytes). */
  async notifyLive(message: string): Promise<void> {
    await this.ds.query('select pg_notify($1, $2)', [NOTIFY_LIVE, message]);
  }

  /** The id just before the `tail` newest events (0 for a short log). */
  async idBeforeTail(tail: number): Promise<number> {
    const [row]: Array<{ id: string }> = await this.ds.query(
      'select coalesce(min(id) - 1, 0)::text as id from (select id from realtime_events order by id desc limit $1) t',
      [tail],
    );
    return Number(row.id);
  }

  async rowsAfter(afterId: number, limit: number): Promise<RowsAfter> {
    const raw: RawRow[] = await this.ds.query(
      `select e.id::text as id, e.room, e.event, e.payload, e.division_path::text as "divisionPath",
              pg_snapshot_xmin(pg_current_snapshot())::text as xmin, pg_snapshot_xmax(pg_current_snapshot())::text as xmax,
              (select max(id) from realtime_events)::text as "maxId"
       from (select 1) one
       left join lateral (select * from realtime_events where id > $1 order by id limit $2) e on true`,
      [afterId, limit],
    );
    return {
      rows: raw.filter((r) => r.id !== null).map(toRow),
      xmin: BigInt(raw[0].xmin),
      xmax: BigInt(raw[0].xmax),
      maxId: raw[0].maxId === null ? null : Number(raw[0].maxId),
    };
  }

  /**
   * Transactions (virtual ids) now holding a write lock on realtime_events, other than ours.
   * A publisher takes it before drawing its first id and keeps it until it ends, so a hole
   * whose candidates have all gone can no longer fill. pg_locks shows every role's locks, of
   * every database of the server (a table's oid is only unique within its database).
   */
  async writers(): Promise<string[]> {
    const rows: Array<{ vxid: string }> = await this.ds.query(
      `select distinct virtualtransaction as vxid from pg_locks
       where locktype = 'relation' and relation = 'realtime_events'::regclass
         and database = (select oid from pg_database where datname = current_database())
         and mode = 'RowExclusiveLock' and granted and pid <> pg_backend_pid()`,
    );
    return rows.map((r) => r.vxid);
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
    return raw.map(toRow);
  }

  async seenCursor(userId: string): Promise<number> {
    const rows: Array<{ id: string }> = await this.ds.query('select last_seen_id::text as id from realtime_cursors where user_id = $1', [
      userId,
    ]);
    return rows.length ? Number(rows[0].id) : 0;
  }

  /** The user's holder and whether the account is still active (re-checked at handshake). */
  async userState(userId: string): Promise<{ active: boolean; holderId: string | null } | undefined> {
    const rows: Array<{ active: boolean; holderId: string | null }> = await this.ds.query(
      'select active, holder_id as "holderId" from users where id = $1',
      [userId],
    );
    return rows[0];
  }

  /** Active users among these, with what their sockets' rooms were derived from. */
  async activeUsers(userIds: string[]): Promise<Map<string, { role: string; divisionId: string; holderId: string | null }>> {
    if (!userIds.length) return new Map();
    const rows: Array<{ id: string; role: string; divisionId: string; holderId: string | null }> = await this.ds.query(
      `select id, role::text as role, division_id as "divisionId", holder_id as "holderId"
       from users where id = any($1::uuid[]) and active`,
      [userIds],
    );
    return new Map(rows.map(({ id, ...rest }) => [id, rest]));
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

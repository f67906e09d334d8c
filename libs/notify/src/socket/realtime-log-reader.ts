import { Pool } from 'pg';
import type { AppConfig } from '@fangxun/config';
import { writersSql } from '@fangxun/database';

/** An event row as the dispatcher and replay read it. */
export interface RealtimeRow {
  id: number;
  room: string;
  event: string;
  payload: Record<string, unknown>;
  /** ltree of a `division:` room (null for other rooms or an unknown code). */
  divisionPath: string | null;
}

/** Rows after a cursor, read in one snapshot. */
export interface RowsAfter {
  rows: RealtimeRow[];
  /** Largest id in the log (null when empty): below the watermark only if the log was reset. */
  maxId: number | null;
}

interface RawRow {
  id: string | null;
  room: string;
  event: string;
  payload: Record<string, unknown>;
  divisionPath: string | null;
  maxId: string | null;
}

export const toRealtimeRow = (r: Pick<RawRow, 'id' | 'room' | 'event' | 'payload' | 'divisionPath'>): RealtimeRow => ({
  id: Number(r.id),
  room: r.room,
  event: r.event,
  payload: r.payload,
  divisionPath: r.divisionPath,
});

/**
 * The dispatcher's reads of the event log, on connections of their own
 * (`realtime.dispatchConnections`), never the application pool: under a storm that pool is
 * full of acknowledgement transactions and `seen` writes, and a tail read queued behind them
 * held every phone's next call back by seconds (calls arrived in blocks of `dispatchBatch`).
 * The dispatcher runs one drain at a time, so this pool stays tiny.
 */
export class RealtimeLogReader {
  private readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = new Pool({
      connectionString: config.database.url,
      max: config.realtime.dispatchConnections,
      application_name: 'fangxun-realtime-dispatch',
      statement_timeout: config.database.statementTimeoutMs,
      idleTimeoutMillis: 0,
    });
    // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The id just before the `tail` newest events (0 for a short log). */
  async idBeforeTail(tail: number): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      'select coalesce(min(id) - 1, 0)::text as id from (select id from realtime_events order by id desc limit $1) t',
      [tail],
    );
    return Number(rows[0].id);
  }

  async rowsAfter(afterId: number, limit: number): Promise<RowsAfter> {
    const { rows: raw } = await this.pool.query<RawRow>(
      `select e.id::text as id, e.room, e.event, e.payload, e.division_path::text as "divisionPath",
              (select max(id) from realtime_events)::text as "maxId"
       from (select 1) one
       left join lateral (select * from realtime_events where id > $1 order by id limit $2) e on true`,
      [afterId, limit],
    );
    return {
      rows: raw.filter((r) => r.id !== null).map(toRealtimeRow),
      maxId: raw[0].maxId === null ? null : Number(raw[0].maxId),
    };
  }

  /** The log's writers now (see writersSql): read after a snapshot that saw a hole. */
  async writers(): Promise<string[]> {
    const { rows } = await this.pool.query<{ writers: string[] }>(writersSql('realtime_events'));
    return rows[0].writers;
  }
}

/**
 * Reading an append-only table in id order without skipping a row that commits late, nor
 * waiting on transactions that never wrote to it. Used by the outbox consumers and by the live
 * channel's dispatcher.
 *
 * Identity values are drawn when a transaction inserts, not when it commits, so id 7 can become
 * visible after id 8: a reader at 6 that sees 8 but not 7 has a hole. The hole either fills (its
 * writer commits) or is final (its writer rolled back). Its writer drew 7 before 8's writer drew
 * 8, so before the snapshot that saw the hole, and an INSERT takes the table's write lock
 * (RowExclusiveLock) before it draws an id and keeps it until its transaction ends. So the
 * writer is among the table's lock holders read right after that snapshot (`candidates`), or has
 * already ended. Once a later read of the lock holders contains none of the candidates, every
 * candidate has ended, and a snapshot taken after that read shows the hole as it will stay.
 *
 * Why not snapshot xmin/xmax: xmax is latestCompletedXid + 1, not the next xid to be assigned,
 * so a running writer whose xid is newer than every completed one is in neither bound (a
 * snapshot then has xmin = xmax while it runs); judging by them declared such holes final and
 * lost their rows under load. And xmin is held back by every transaction of the server, of any
 * database, however unrelated.
 */
export interface IdHole {
  /** The first missing id. */
  from: number;
  /** Lock holders read right after the snapshot that first saw this hole. */
  candidates: string[] | null;
  /** Lock holders read after the previous round's snapshot, hence before the current one. */
  lastWriters: string[] | null;
}

export interface CursorStep {
  /** Every id <= cursor has been passed and no such id can still appear. */
  cursor: number;
  /** The hole the step stopped at (to keep for the next round), or null. */
  hole: IdHole | null;
  /** True when a hole that may still fill stopped the step: read the writers next. */
  blocked: boolean;
}

/** Walks ids (ascending, read in one snapshot) from `cursor` as far as no open hole stops it. */
export function advanceCursor(cursor: number, ids: readonly number[], hole: IdHole | null): CursorStep {
  let at = cursor;
  for (const id of ids) {
    const expected = at + 1;
    if (id > expected) {
      if (!hole || hole.from !== expected)
        return { cursor: at, hole: { from: expected, candidates: null, lastWriters: null }, blocked: true };
      const { candidates, lastWriters } = hole;
      if (!candidates || !lastWriters || candidates.some((c) => lastWriters.includes(c))) return { cursor: at, hole, blocked: true };
      hole = null;
    }
    at = id;
  }
  return { cursor: at, hole: hole && hole.from > at ? hole : null, blocked: false };
}

/** After a blocked step: the table's writers, read after that step's snapshot. */
export function withWriters(hole: IdHole, writers: string[]): IdHole {
  return { from: hole.from, candidates: hole.candidates ?? writers, lastWriters: writers };
}

/**
 * The transactions (virtual ids) other than ours holding a write lock on `table` of this
 * database. pg_locks lists every role's locks of every database, fast-path ones included; a
 * table's oid is only unique within its database. `table` is a constant of ours, never input.
 */
export function writersSql(table: string): string {
  return `select coalesce(array_agg(distinct virtualtransaction), '{}')::text[] as writers from pg_locks
          where locktype = 'relation' and relation = '${table}'::regclass
            and database = (select oid from pg_database where datname = current_database())
            and mode = 'RowExclusiveLock' and granted and pid <> pg_backend_pid()`;
}

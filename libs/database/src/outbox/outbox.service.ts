import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { advanceCursor, IdHole, withWriters, writersSql } from '../id-log-cursor';
import { inTransaction } from '../transaction';

/** What a module appends: a dotted topic (`warning.raised`), the aggregate's key, a JSON payload. */
export interface OutboxEventInput {
  topic: string;
  key: string;
  payload: Record<string, unknown>;
}

export interface OutboxEvent extends OutboxEventInput {
  id: string;
  createdAt: Date;
}

/** NOTIFY channel of every append (sent on commit): consumers wake at once instead of on their next poll. */
export const OUTBOX_NOTIFY_CHANNEL = 'fx_outbox';

/** How long a claimed event stays with the instance that claimed it before another may take it. */
const DEFAULT_LEASE_SECONDS = 60;

/** Events copied into a consumer's deliveries per claim, at most (a backlog moves in steps). */
const COPY_BATCH = 1000;

interface CursorRow {
  afterId: string;
  gapFrom: string | null;
  candidates: string[] | null;
  lastWriters: string[] | null;
}

/**
 * The transactional outbox. Writers append inside their own transaction; consumers claim and
 * ack. Each named consumer sees every event exactly once, in id order.
 *
 * Why not just "id > last seen id": identity values are taken when a transaction inserts,
 * not when it commits, so id 7 can become visible after id 8 and a cursor on ids would skip
 * it for ever. The consumer's cursor stops at such a hole until it fills or is known final,
 * judged by the transactions holding a write lock on outbox_events (advanceCursor says how),
 * so only a writer of the outbox can hold delivery back, never an unrelated long transaction.
 * The judgement needs rounds (a snapshot, then the writers), so the hole is kept on the
 * consumer's row between claims. Events are copied, under a row lock on the consumer's cursor
 * (so two claims of the same consumer copy each event once), into per-consumer delivery rows,
 * which instances then take with FOR UPDATE SKIP LOCKED and a lease, so two concurrent
 * instances never get the same event, and an instance that dies leaves its events to be
 * claimed again after the lease. The price: a transaction that appended an event and stays
 * open holds the events behind it back (their order is the point).
 */
@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Writes an event in the caller's transaction: it commits or rolls back with the change. */
  async append(manager: EntityManager, event: OutboxEventInput): Promise<string> {
    const [row]: Array<{ id: string }> = await manager.query(
      `with e as (insert into outbox_events (topic, key, payload) values ($1, $2, $3) returning id)
       select e.id, pg_notify('${OUTBOX_NOTIFY_CHANNEL}', $1) from e`,
      [event.topic, event.key, JSON.stringify(event.payload)],
    );
    return row.id;
  }

  /** Several events in one statement and one NOTIFY (a sender marking 500 messages sent). */
  async appendMany(manager: EntityManager, events: OutboxEventInput[]): Promise<void> {
    if (!events.length) return;
    await manager.query(
      `with e as (
         insert into outbox_events (topic, key, payload)
         select t.topic, t.key, t.payload from unnest($1::varchar[], $2::varchar[], $3::jsonb[]) with ordinality as t(topic, key, payload, ord)
         order by t.ord
         returning id)
       select pg_notify('${OUTBOX_NOTIFY_CHANNEL}', $1[1]) from (select count(*) from e) n`,
      [events.map((e) => e.topic), events.map((e) => e.key), events.map((e) => JSON.stringify(e.payload))],
    );
  }

  /**
   * Up to `limit` events not yet acked by `consumer`, oldest first, leased to this caller.
   * A new consumer starts from the oldest event still kept.
   */
  async claim(consumer: string, limit: number, leaseSeconds = DEFAULT_LEASE_SECONDS): Promise<OutboxEvent[]> {
    return inTransaction(this.ds, async (m) => {
      await m.query('insert into outbox_consumers (name) values ($1) on conflict do nothing', [consumer]);
      const [row]: CursorRow[] = await m.query(
        `select after_id::text as "afterId", gap_from::text as "gapFrom", gap_candidates as candidates, gap_last_writers as "lastWriters"
         from outbox_consumers where name = $1 for update`,
        [consumer],
      );
      await this.advance(m, consumer, row);
      return m.query(
        `with taken as (
           select d.event_id from outbox_deliveries d
           where d.consumer = $1 and d.acked_at is null and (d.leased_until is null or d.leased_until < now())
           order by d.event_id limit $2 for update skip locked),
         leased as (
           update outbox_deliveries d set leased_until = now() + make_interval(secs => $3)
           from taken where d.consumer = $1 and d.event_id = taken.event_id returning d.event_id)
         select e.id::text as id, e.topic, e.key, e.payload, e.created_at as "createdAt"
         from leased l join outbox_events e on e.id = l.event_id order by l.event_id`,
        [consumer, limit, leaseSeconds],
      );
    });
  }

  /**
   * Copies the events after the consumer's cursor into its deliveries, up to the first hole that
   * may still fill, and moves the cursor (with the hole it waits at) past them.
   */
  private async advance(m: EntityManager, consumer: string, row: CursorRow): Promise<void> {
    const afterId = Number(row.afterId);
    // One statement, one snapshot: the ids and the largest id.
    const seen: Array<{ id: string | null; maxId: string | null }> = await m.query(
      `select e.id::text as id, (select max(id) from outbox_events)::text as "maxId"
       from (select 1) one left join lateral (select id from outbox_events where id > $1 order by id limit $2) e on true`,
      [afterId, COPY_BATCH],
    );
    const maxId = seen[0].maxId === null ? null : Number(seen[0].maxId);
    if (maxId !== null && maxId < afterId) {
      // Ids went back (the log was truncated with its identity restarted): start from the beginning.
      await m.query(
        'update outbox_consumers set after_id = 0, gap_from = null, gap_candidates = null, gap_last_writers = null where name = $1',
        [consumer],
      );
      return this.advance(m, consumer, { afterId: '0', gapFrom: null, candidates: null, lastWriters: null });
    }
    const hole: IdHole | null =
      row.gapFrom === null ? null : { from: Number(row.gapFrom), candidates: row.candidates, lastWriters: row.lastWriters };
    const step = advanceCursor(
      afterId,
      seen.filter((r) => r.id !== null).map((r) => Number(r.id)),
      hole,
    );
    let kept = step.hole;
    if (step.blocked && kept) {
      // Read after the snapshot above, so the next claim may judge the hole by it.
      const [{ writers }]: Array<{ writers: string[] }> = await m.query(writersSql('outbox_events'));
      kept = withWriters(kept, writers);
    }
    if (step.cursor > afterId) {
      await m.query(
        `insert into outbox_deliveries (consumer, event_id)
         select $1, id from outbox_events where id > $2 and id <= $3 on conflict do nothing`,
        [consumer, afterId, step.cursor],
      );
    }
    await m.query(`update outbox_consumers set after_id = $2, gap_from = $3, gap_candidates = $4, gap_last_writers = $5 where name = $1`, [
      consumer,
      step.cursor,
      kept?.from ?? null,
      kept?.candidates ?? null,
      kept?.lastWriters ?? null,
    ]);
  }

  /**
   * One round of a consumer's loop: claims up to `limit` events, hands each to `handle` in order
   * and acks those handled. An event whose handler throws is not acked: it is claimed again after
   * the lease (handlers must be idempotent). `handle` answers what it did ('ignored' is not
   * logged). Returns how many events were handled.
   */
  async consume(
    consumer: string,
    opts: { limit: number; leaseSeconds?: number },
    handle: (event: OutboxEvent) => Promise<string>,
    log: Pick<Logger, 'log' | 'error'>,
  ): Promise<number> {
    const batch = await this.claim(consumer, opts.limit, opts.leaseSeconds);
    const done: string[] = [];
    for (const e of batch) {
      try {
        const what = await handle(e);
        if (what !== 'ignored') log.log(`${e.topic} ${e.key}: ${what}`);
        done.push(e.id);
      } catch (err) {
        log.error(`${e.topic} ${e.key} failed, will retry after the lease: ${(err as Error).message}`);
      }
    }
    await this.ack(consumer, done);
    return done.length;
  }

  /** Marks events as handled by `consumer`; they are never claimed by it again. */
  async ack(consumer: string, eventIds: string[]): Promise<void> {
    if (!eventIds.length) return;
    await this.ds.query(
      `update outbox_deliveries set acked_at = now() where consumer = $1 and event_id = any($2::bigint[]) and acked_at is null`,
      [consumer, eventIds],
    );
  }

  /**
   * Deletes, `batch` at a time, events created before `before` that every consumer is done
   * with: behind the slowest consumer's cursor and with no delivery still unacked. Their
   * delivery rows go with them (cascade). With no consumer at all nothing is deleted.
   */
  async prune(before: Date, batch: number): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await this.ds.query(
      `with horizon as (select min(after_id) as after_id from outbox_consumers having count(*) > 0),
       doomed as (
         select e.id from outbox_events e, horizon h
         where e.created_at < $1 and e.id <= h.after_id
           and not exists (select 1 from outbox_deliveries d where d.event_id = e.id and d.acked_at is null)
         order by e.id limit $2),
       gone as (delete from outbox_events e using doomed where e.id = doomed.id returning 1)
       select count(*)::int as n from gone`,
      [before, batch],
    );
    return n;
  }
}

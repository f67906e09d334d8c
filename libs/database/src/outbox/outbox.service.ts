import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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

/**
 * The transactional outbox. Writers append inside their own transaction; consumers claim and
 * ack. Each named consumer sees every event exactly once, in transaction-id order.
 *
 * Why not just "id > last seen id": identity values are taken when a transaction inserts,
 * not when it commits, so id 7 can become visible after id 8 and a cursor on ids would skip
 * it for ever. Instead every event carries its transaction's id (xid8), and a claim only
 * moves events whose transaction is older than the oldest one still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`): nothing can later commit below that horizon.
 * Those events are copied, under a row lock on the consumer's cursor (so two claims of the
 * same consumer copy each event once), into per-consumer delivery rows, which instances then
 * take with FOR UPDATE SKIP LOCKED and a lease, so two concurrent instances never get the
 * same event, and an instance that dies leaves its events to be claimed again after the
 * lease. The price: a transaction left open (idle in transaction) holds delivery back.
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
      // The horizon is read first, before this transaction takes an id of its own.
      const [{ horizon }]: Array<{ horizon: string }> = await m.query('select pg_snapshot_xmin(pg_current_snapshot())::text as horizon');
      await m.query('insert into outbox_consumers (name) values ($1) on conflict do nothing', [consumer]);
      const [cursor]: Array<{ afterTxid: string; afterId: string }> = await m.query(
        `select after_txid::text as "afterTxid", after_id::text as "afterId" from outbox_consumers where name = $1 for update`,
        [consumer],
      );
      await m.query(
        `with moved as (
           insert into outbox_deliveries (consumer, event_id, txid)
           select $1, e.id, e.txid from outbox_events e
           where (e.txid, e.id) > ($2::xid8, $3::bigint) and e.txid < $4::xid8
           on conflict do nothing
           returning txid, event_id)
         update outbox_consumers c set after_txid = last.txid, after_id = last.event_id
         from (select txid, event_id from moved order by txid desc, event_id desc limit 1) last
         where c.name = $1`,
        [consumer, cursor.afterTxid, cursor.afterId, horizon],
      );
      return m.query(
        `with taken as (
           select d.event_id from outbox_deliveries d
           where d.consumer = $1 and d.acked_at is null and (d.leased_until is null or d.leased_until < now())
           order by d.txid, d.event_id limit $2 for update skip locked),
         leased as (
           update outbox_deliveries d set leased_until = now() + make_interval(secs => $3)
           from taken where d.consumer = $1 and d.event_id = taken.event_id returning d.event_id, d.txid)
         select e.id::text as id, e.topic, e.key, e.payload, e.created_at as "createdAt"
         from leased l join outbox_events e on e.id = l.event_id order by l.txid, l.event_id`,
        [consumer, limit, leaseSeconds],
      );
    });
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
      `with horizon as (select after_txid, after_id from outbox_consumers order by after_txid, after_id limit 1),
       doomed as (
         select e.id from outbox_events e, horizon h
         where e.created_at < $1 and (e.txid, e.id) <= (h.after_txid, h.after_id)
           and not exists (select 1 from outbox_deliveries d where d.event_id = e.id and d.acked_at is null)
         order by e.id limit $2),
       gone as (delete from outbox_events e using doomed where e.id = doomed.id returning 1)
       select count(*)::int as n from gone`,
      [before, batch],
    );
    return n;
  }
}

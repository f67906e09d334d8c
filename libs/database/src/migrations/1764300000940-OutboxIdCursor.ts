import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox consumers read events in id order, waiting at a hole only for the transactions that
 * hold a write lock on outbox_events (see advanceCursor), instead of in (txid, id) order behind
 * the server-wide snapshot xmin: any long transaction on the server, of any database, however
 * unrelated, held every wake-up back. The cursor becomes `after_id` (every id <= it copied or
 * never to appear) with the hole it waits at; txid columns go.
 *
 * The old cursor is carried over as "just before the first visible event not yet copied"
 * (copied ones past it are not copied twice: deliveries are keyed by consumer and event). An
 * event of a transaction still open while this runs, with an id below that, would be missed:
 * migrate with the writers stopped (the service migrates at boot, before it writes).
 */
export class OutboxIdCursor1764300000940 implements MigrationInterface {
  name = 'OutboxIdCursor1764300000940';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table outbox_consumers
        add column gap_from bigint,
        add column gap_candidates text[],
        add column gap_last_writers text[]`);
    await q.query(`
      update outbox_consumers c set after_id = coalesce(
        (select min(e.id) - 1 from outbox_events e where (e.txid, e.id) > (c.after_txid, c.after_id)),
        (select max(e.id) from outbox_events e),
        c.after_id)`);
    await q.query('drop index outbox_deliveries_pending_idx');
    await q.query('create index outbox_deliveries_pending_idx on outbox_deliveries (consumer, event_id) where acked_at is null');
    await q.query('alter table outbox_deliveries drop column txid');
    await q.query('alter table outbox_consumers drop column after_txid');
    await q.query('drop index outbox_events_order_idx');
    await q.query('alter table outbox_events drop column txid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table outbox_events add column txid xid8 not null default pg_current_xact_id()');
    await q.query('create index outbox_events_order_idx on outbox_events (txid, id)');
    await q.query(`alter table outbox_consumers add column after_txid xid8 not null default '0'::xid8`);
    await q.query(`alter table outbox_deliveries add column txid xid8 not null default '0'::xid8`);
    await q.query('drop index outbox_deliveries_pending_idx');
    await q.query('create index outbox_deliveries_pending_idx on outbox_deliveries (consumer, txid, event_id) where acked_at is null');
    await q.query('alter table outbox_consumers drop column gap_from, drop column gap_candidates, drop column gap_last_writers');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: events written in the same transaction as the change they
 * describe, so a consumer can never miss one across a crash. `txid` is the writing
 * transaction's id (pg_current_xact_id); consumers only take events whose transaction is older
 * than every transaction still running (pg_snapshot_xmin), so an event with a smaller id that
 * commits late is never skipped. Each consumer copies visible events, in (txid, id) order, into
 * its own delivery rows under a lock on its cursor, then claims those rows with SKIP LOCKED.
 */
export class Outbox1764300000510 implements MigrationInterface {
  name = 'Outbox1764300000510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table outbox_events (
        id bigint generated always as identity primary key,
        txid xid8 not null default pg_current_xact_id(),
        topic varchar(100) not null check (topic ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'),
        key varchar(200) not null,
        payload jsonb not null,
        created_at timestamptz not null default now()
      )`);
    await q.query('create index outbox_events_order_idx on outbox_events (txid, id)');
    await q.query(`
      create table outbox_consumers (
        name varchar(100) primary key check (name ~ '^[a-z][a-z0-9_.:-]*$'),
        after_txid xid8 not null default '0'::xid8,
        after_id bigint not null default 0,
        created_at timestamptz not null default now()
      )`);
    await q.query(`
      create table outbox_deliveries (
        consumer varchar(100) not null references outbox_consumers(name) on delete cascade,
        event_id bigint not null references outbox_events(id) on delete cascade,
        txid xid8 not null,
        leased_until timestamptz,
        acked_at timestamptz,
        primary key (consumer, event_id)
      )`);
    await q.query('create index outbox_deliveries_pending_idx on outbox_deliveries (consumer, txid, event_id) where acked_at is null');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table outbox_deliveries');
    await q.query('drop table outbox_consumers');
    await q.query('drop table outbox_events');
  }
}

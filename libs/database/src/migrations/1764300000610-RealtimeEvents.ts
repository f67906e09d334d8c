import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live channel's durable log. Every api replica tails it (LISTEN fx_realtime + a poll) and
 * emits new rows to its own sockets; a reconnecting phone replays from its last event id.
 *
 * Ids come from a sequence, so a transaction may commit a smaller id after a larger one is
 * already visible. `txid` (the writer's transaction id, taken before the id is drawn) lets a
 * dispatcher tell a hole that can still fill from one that never will: once every transaction
 * older than the snapshot that saw the hole has ended, the hole is final. `division_path` is
 * resolved from a `division:<code>` room at publish time, so screens of the ancestors receive
 * (and replay) it without a lookup per event.
 */
export class RealtimeEvents1764300000610 implements MigrationInterface {
  name = 'RealtimeEvents1764300000610';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table realtime_events (
        id bigint generated always as identity primary key,
        txid xid8 not null default pg_current_xact_id(),
        room text not null check (room ~ '^(command|(person|user):[0-9a-f-]{36}|division:[0-9A-Za-z_]{2,24})$'),
        event text not null check (event ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'),
        payload jsonb not null check (jsonb_typeof(payload) = 'object'),
        division_path ltree,
        created_at timestamptz not null default now()
      )`);
    await q.query('create index realtime_events_room_idx on realtime_events (room, id)');
    await q.query(
      'create index realtime_events_division_idx on realtime_events using gist (division_path) where division_path is not null',
    );
    await q.query('create index realtime_events_created_idx on realtime_events (created_at)');
    await q.query(`
      create table realtime_cursors (
        user_id uuid primary key references users(id) on delete cascade,
        last_seen_id bigint not null check (last_seen_id >= 0),
        seen_at timestamptz not null default now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table realtime_cursors');
    await q.query('drop table realtime_events');
  }
}

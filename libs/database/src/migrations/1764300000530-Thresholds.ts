import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Thresholds that act. `threshold_states` remembers, per rule and subject (a town, a
 * flash-flood zone), the level it is at, the warning that says so and since when it has been
 * below its lower line (hysteresis); a worker locks the row while it decides, so two workers
 * never act twice. `threshold_events` is the append-only record of every crossing with the
 * sums that caused it — the audit trail, and later the count of false alarms.
 */
export class Thresholds1764300000530 implements MigrationInterface {
  name = 'Thresholds1764300000530';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table threshold_states (
        rule varchar(20) not null check (rule in ('rainstorm', 'flash_flood')),
        subject varchar(40) not null,
        level varchar(10),
        warning_id uuid references warnings(id) on delete set null,
        below_since timestamptz,
        -- The level a person cleared the zone at: the same rain does not flip it back (flash_flood only).
        human_cleared_level varchar(10),
        evaluated_at timestamptz,
        updated_at timestamptz not null default now(),
        primary key (rule, subject)
      )`);
    await q.query(`
      create table threshold_events (
        id bigint generated always as identity primary key,
        rule varchar(20) not null check (rule in ('rainstorm', 'flash_flood')),
        subject varchar(40) not null,
        subject_name varchar(100) not null,
        division_path ltree not null,
        window_hours smallint not null,
        sum_mm numeric(7, 1) not null,
        threshold_mm numeric(7, 1) not null,
        level_from varchar(10),
        level_to varchar(10),
        direction varchar(10) not null check (direction in ('raise', 'upgrade', 'downgrade', 'lift')),
        evidence jsonb not null check (jsonb_typeof(evidence) = 'array'),
        warning_id uuid references warnings(id) on delete set null,
        risk_status_from varchar(10),
        risk_status_to varchar(10),
        occurred_at timestamptz not null,
        created_at timestamptz not null default now()
      )`);
    await q.query('create index threshold_events_time_idx on threshold_events (occurred_at desc, id desc)');
    await q.query('create index threshold_events_subject_idx on threshold_events (rule, subject, occurred_at desc)');
    await q.query('create index threshold_events_path_idx on threshold_events using gist (division_path)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table threshold_events');
    await q.query('drop table threshold_states');
  }
}

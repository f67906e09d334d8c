import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gauges (rain, water level, reservoir level), their readings keyed by (station, observed_at),
 * the superseded values of corrected readings, and feed-health alerts for silent stations.
 * Readings are the source of every rainfall sum: sums are computed from stored rows, never
 * from running totals, so late and out-of-order arrivals give the same answers.
 */
export class Gauges1764300000500 implements MigrationInterface {
  name = 'Gauges1764300000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create type station_kind as enum ('rain', 'water_level', 'reservoir_level')`);
    await q.query(`create type station_owner as enum ('meteorology', 'water_resources', 'natural_resources', 'hq', 'other')`);
    await q.query(`create type station_liveness as enum ('ok', 'silent')`);
    await q.query(`
      create table stations (
        id uuid primary key default gen_random_uuid(),
        code varchar(40) not null unique check (code ~ '^[0-9A-Za-z_.-]{2,40}$'),
        name varchar(100) not null check (length(btrim(name)) > 0),
        geom geometry(Point, 4326) not null check (st_isvalid(geom)),
        division_id uuid not null references divisions(id) on delete restrict,
        kind station_kind not null,
        owner station_owner not null,
        active boolean not null default true,
        silent_after_minutes integer check (silent_after_minutes is null or silent_after_minutes between 1 and 100000),
        liveness station_liveness not null default 'ok',
        last_observed_at timestamptz,
        last_received_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query('create index stations_geom_gist on stations using gist (geom)');
    await q.query('create index stations_geog_gist on stations using gist ((geom::geography))');
    await q.query('create index stations_division_idx on stations (division_id)');

    await q.query(`create type reading_quality as enum ('ok', 'suspect')`);
    // value: rain in mm accumulated over (observed_at - interval_minutes, observed_at]; levels in m.
    await q.query(`
      create table readings (
        station_id uuid not null references stations(id) on delete cascade,
        observed_at timestamptz not null,
        value double precision not null,
        interval_minutes integer check (interval_minutes is null or interval_minutes between 1 and 1440),
        quality reading_quality not null default 'ok',
        quality_reason text,
        source varchar(80) not null,
        received_at timestamptz not null default now(),
        primary key (station_id, observed_at),
        constraint readings_suspect_has_reason check ((quality = 'suspect') = (quality_reason is not null))
      )`);
    await q.query('create index readings_observed_idx on readings (observed_at)');
    await q.query(`
      create table reading_revisions (
        id bigserial primary key,
        station_id uuid not null references stations(id) on delete cascade,
        observed_at timestamptz not null,
        value double precision not null,
        interval_minutes integer,
        quality reading_quality not null,
        quality_reason text,
        source varchar(80) not null,
        received_at timestamptz not null,
        superseded_at timestamptz not null default now()
      )`);
    await q.query('create index reading_revisions_key_idx on reading_revisions (station_id, observed_at)');

    await q.query(`
      create table feed_health_alerts (
        id uuid primary key default gen_random_uuid(),
        station_id uuid not null references stations(id) on delete cascade,
        kind varchar(20) not null default 'silent' check (kind in ('silent')),
        opened_at timestamptz not null,
        last_observed_at timestamptz,
        closed_at timestamptz,
        check (closed_at is null or closed_at >= opened_at)
      )`);
    // At most one open alert per station and kind: the liveness job can run twice safely.
    await q.query('create unique index feed_health_alerts_open_uq on feed_health_alerts (station_id, kind) where closed_at is null');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table feed_health_alerts');
    await q.query('drop table reading_revisions');
    await q.query('drop table readings');
    await q.query('drop type reading_quality');
    await q.query('drop table stations');
    await q.query('drop type station_liveness');
    await q.query('drop type station_owner');
    await q.query('drop type station_kind');
  }
}

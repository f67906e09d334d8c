import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Official and internal warnings (CAP 1.2, GB/T 35965.1 profile, JSON, thresholds). The CAP
 * message is kept whole (`infos` as normalised JSON, the original XML verbatim); the columns
 * beside it are what the command room filters on. One row per area with its geometry
 * (polygons and geodesic circles united) and the divisions its geocodes named (ids, and
 * their ltree paths so "touches this town" needs no join into the registry's tables).
 */
export class Warnings1764300000511 implements MigrationInterface {
  name = 'Warnings1764300000511';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table warnings (
        id uuid primary key default gen_random_uuid(),
        identifier varchar(500) not null unique,
        sender varchar(500) not null,
        sent timestamptz not null,
        status varchar(10) not null check (status in ('Actual', 'Exercise', 'System', 'Test', 'Draft')),
        msg_type varchar(10) not null check (msg_type in ('Alert', 'Update', 'Cancel', 'Ack', 'Error')),
        scope varchar(10) not null check (scope in ('Public', 'Restricted', 'Private')),
        header jsonb not null,
        refs jsonb not null default '[]',
        infos jsonb not null,
        origin varchar(10) not null check (origin in ('cap', 'json', 'threshold', 'manual')),
        state varchar(10) not null check (state in ('active', 'updated', 'cancelled', 'expired')),
        kind varchar(20) not null check (kind in ('rainstorm', 'typhoon', 'flash_flood', 'geo_hazard', 'river_flood', 'other')),
        level varchar(10) check (level in ('blue', 'yellow', 'orange', 'red')),
        issuer varchar(20) not null
          check (issuer in ('meteorology', 'water_resources', 'natural_resources', 'hq', 'other')),
        onset timestamptz,
        effective timestamptz,
        expires timestamptz,
        gbt jsonb,
        gbt_division_id uuid references divisions(id),
        unknown_geocodes text[] not null default '{}',
        replaced_by_id uuid references warnings(id),
        raw_xml text,
        created_by varchar(100) not null,
        created_at timestamptz not null default now(),
        state_changed_at timestamptz not null default now()
      )`);
    // Serial N of the GB/T 35965.1 identifiers we issue ourselves.
    await q.query('create sequence warning_serial');
    await q.query('create index warnings_state_idx on warnings (state, expires)');
    await q.query('create index warnings_refs_idx on warnings using gin (refs jsonb_path_ops)');
    await q.query(`
      create table warning_areas (
        warning_id uuid not null references warnings(id) on delete cascade,
        info_index int not null,
        area_index int not null,
        area_desc text not null,
        geom geometry(MultiPolygon, 4326),
        division_ids uuid[] not null default '{}',
        division_paths ltree[] not null default '{}',
        primary key (warning_id, info_index, area_index)
      )`);
    await q.query('create index warning_areas_geom_idx on warning_areas using gist (geom)');
    await q.query('create index warning_areas_paths_idx on warning_areas using gist (division_paths)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table warning_areas');
    await q.query('drop table warnings');
    await q.query('drop sequence warning_serial');
  }
}

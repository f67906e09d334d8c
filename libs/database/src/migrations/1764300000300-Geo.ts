import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Geo: risk objects of the eight risk lists, shelters, rescue teams and supply depots.
 * Hard limits live here so no code path can break them: shelter occupancy never exceeds
 * capacity, stock never goes negative, each risk type has the geometry it needs.
 * Large polygons get a subdivided copy (risk_object_parts) for fast intersection tests.
 */
export class Geo1764300000300 implements MigrationInterface {
  name = 'Geo1764300000300';

  async up(q: QueryRunner): Promise<void> {
    // Parses one GeoJSON geometry, or answers null instead of aborting a whole batch.
    await q.query(`
      create function try_geom_from_geojson(t text) returns geometry language plpgsql immutable as $$
      begin
        return st_setsrid(st_geomfromgeojson(t), 4326);
      exception when others then
        return null;
      end $$`);
    await q.query(`
      create type risk_type as enum (
        'flash_flood_zone', 'geo_hazard_zone', 'reservoir', 'seawall', 'low_lying_point',
        'dilapidated_house', 'construction_site', 'fishing_boat', 'offshore_project')`);
    await q.query(`create type risk_status as enum ('normal', 'prepare', 'evacuate', 'cleared')`);
    await q.query(`
      create table risk_objects (
        id uuid primary key default gen_random_uuid(),
        code varchar(40) not null unique check (code ~ '^[0-9A-Za-z_-]{2,40}$'),
        name varchar(100) not null check (length(btrim(name)) > 0),
        type risk_type not null,
        division_id uuid not null references divisions(id) on delete restrict,
        geom geometry(Geometry, 4326) not null check (st_isvalid(geom) and not st_isempty(geom)),
        attributes jsonb not null default '{}' check (jsonb_typeof(attributes) = 'object'),
        threatened_households integer not null default 0 check (threatened_households >= 0),
        threatened_people integer not null default 0 check (threatened_people >= 0),
        status risk_status not null default 'normal',
        status_changed_at timestamptz not null default now(),
        primary_holder_id uuid references responsibility_holders(id) on delete set null,
        backup_holder_id uuid references responsibility_holders(id) on delete set null,
        position_reported_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint risk_objects_geometry_fits_type check (
          case type
            when 'flash_flood_zone' then geometrytype(geom) in ('POLYGON', 'MULTIPOLYGON', 'POINT')
            when 'geo_hazard_zone' then geometrytype(geom) in ('POLYGON', 'MULTIPOLYGON')
            when 'reservoir' then geometrytype(geom) in ('POLYGON', 'MULTIPOLYGON', 'POINT')
            when 'seawall' then geometrytype(geom) in ('LINESTRING', 'MULTILINESTRING')
            when 'low_lying_point' then geometrytype(geom) in ('POINT', 'POLYGON', 'LINESTRING')
            when 'dilapidated_house' then geometrytype(geom) = 'POINT'
            when 'construction_site' then geometrytype(geom) in ('POINT', 'POLYGON')
            when 'fishing_boat' then geometrytype(geom) = 'POINT'
            when 'offshore_project' then geometrytype(geom) in ('POINT', 'POLYGON')
          end),
        constraint risk_objects_backup_differs check (backup_holder_id is null or backup_holder_id <> primary_holder_id)
      )`);
    await q.query('create index risk_objects_geom_gist on risk_objects using gist (geom)');
    await q.query('create index risk_objects_geog_gist on risk_objects using gist ((geom::geography))');
    await q.query('create index risk_objects_division_idx on risk_objects (division_id)');
    await q.query('create index risk_objects_type_idx on risk_objects (type)');

    // Polygons with many vertices are cut into pieces of at most 256 vertices: a GiST probe
    // then tests small boxes instead of one box covering a whole hillside.
    await q.query(`
      create table risk_object_parts (
        risk_object_id uuid not null references risk_objects(id) on delete cascade,
        geom geometry(Geometry, 4326) not null
      )`);
    await q.query('create index risk_object_parts_geom_gist on risk_object_parts using gist (geom)');
    await q.query('create index risk_object_parts_object_idx on risk_object_parts (risk_object_id)');
    await q.query(`
      create function risk_objects_subdivide() returns trigger language plpgsql as $$
      begin
        delete from risk_object_parts where risk_object_id = new.id;
        insert into risk_object_parts (risk_object_id, geom)
          select new.id, st_subdivide(new.geom, 256);
        return new;
      end $$`);
    await q.query(`
      create trigger risk_objects_subdivide after insert or update of geom on risk_objects
      for each row execute function risk_objects_subdivide()`);

    await q.query(`
      create table risk_object_vulnerable_people (
        id uuid primary key default gen_random_uuid(),
        risk_object_id uuid not null references risk_objects(id) on delete cascade,
        name varchar(50) not null check (length(btrim(name)) > 0),
        category varchar(20) not null check (category in ('elderly', 'disabled', 'child', 'pregnant', 'ill', 'other')),
        needs varchar(200),
        helper_name varchar(50) not null,
        helper_phone varchar(16) not null check (helper_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        helper_holder_id uuid references responsibility_holders(id) on delete set null
      )`);
    await q.query('create index risk_object_vulnerable_object_idx on risk_object_vulnerable_people (risk_object_id)');

    await q.query(`
      create table risk_object_indicators (
        risk_object_id uuid not null references risk_objects(id) on delete cascade,
        window_hours smallint not null check (window_hours in (1, 3, 6, 12, 24)),
        prepare_mm numeric(6, 1) not null check (prepare_mm > 0),
        immediate_mm numeric(6, 1) not null check (immediate_mm > 0),
        primary key (risk_object_id, window_hours),
        constraint risk_object_indicators_order check (immediate_mm > prepare_mm)
      )`);

    // Fishing boats move: every reported position is kept; the object's geom is the latest.
    await q.query(`
      create table vessel_positions (
        risk_object_id uuid not null references risk_objects(id) on delete cascade,
        reported_at timestamptz not null,
        position geometry(Point, 4326) not null,
        in_port boolean not null,
        received_at timestamptz not null default now(),
        primary key (risk_object_id, reported_at)
      )`);

    await q.query(`create type shelter_tier as enum ('city', 'town', 'village')`);
    await q.query(`
      create table shelters (
        id uuid primary key default gen_random_uuid(),
        code varchar(40) not null unique check (code ~ '^[0-9A-Za-z_-]{2,40}$'),
        name varchar(100) not null check (length(btrim(name)) > 0),
        tier shelter_tier not null,
        division_id uuid not null references divisions(id) on delete restrict,
        location geometry(Point, 4326) not null,
        capacity integer not null check (capacity > 0),
        occupancy integer not null default 0 check (occupancy >= 0),
        reserved integer not null default 0 check (reserved >= 0),
        manager_holder_id uuid references responsibility_holders(id) on delete set null,
        facilities text[] not null default '{}',
        open boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint shelters_capacity_is_a_hard_limit check (occupancy + reserved <= capacity)
      )`);
    await q.query('create index shelters_location_gist on shelters using gist (location)');
    await q.query('create index shelters_division_idx on shelters (division_id)');

    await q.query(`
      create table risk_object_shelters (
        risk_object_id uuid not null references risk_objects(id) on delete cascade,
        shelter_id uuid not null references shelters(id) on delete restrict,
        preference smallint not null check (preference between 1 and 10),
        primary key (risk_object_id, preference),
        constraint risk_object_shelters_once unique (risk_object_id, shelter_id)
      )`);
    await q.query('create index risk_object_shelters_shelter_idx on risk_object_shelters (shelter_id)');

    await q.query(`create type team_level as enum ('city', 'town')`);
    await q.query(`create type team_status as enum ('standby', 'deployed', 'resting', 'unavailable')`);
    await q.query(`
      create table rescue_teams (
        id uuid primary key default gen_random_uuid(),
        code varchar(40) not null unique check (code ~ '^[0-9A-Za-z_-]{2,40}$'),
        name varchar(100) not null,
        level team_level not null,
        division_id uuid not null references divisions(id) on delete restrict,
        members integer not null check (members > 0),
        specialities text[] not null default '{}',
        base geometry(Point, 4326) not null,
        contact_name varchar(50) not null,
        contact_phone varchar(16) not null check (contact_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        status team_status not null default 'standby',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query('create index rescue_teams_base_gist on rescue_teams using gist (base)');

    await q.query(`
      create table supply_depots (
        id uuid primary key default gen_random_uuid(),
        code varchar(40) not null unique check (code ~ '^[0-9A-Za-z_-]{2,40}$'),
        name varchar(100) not null,
        division_id uuid not null references divisions(id) on delete restrict,
        location geometry(Point, 4326) not null,
        manager_holder_id uuid references responsibility_holders(id) on delete set null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query('create index supply_depots_location_gist on supply_depots using gist (location)');
    await q.query(`
      create table supply_stock (
        depot_id uuid not null references supply_depots(id) on delete cascade,
        category varchar(40) not null,
        item varchar(100) not null,
        unit varchar(20) not null,
        quantity numeric(12, 2) not null check (quantity >= 0),
        updated_at timestamptz not null default now(),
        primary key (depot_id, category, item)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'supply_stock',
      'supply_depots',
      'rescue_teams',
      'risk_object_shelters',
      'shelters',
      'risk_object_indicators',
      'risk_object_vulnerable_people',
      'risk_object_parts',
      'vessel_positions',
    ]) {
      await q.query(`drop table ${t}`);
    }
    await q.query('drop trigger risk_objects_subdivide on risk_objects');
    await q.query('drop function risk_objects_subdivide()');
    await q.query('drop table risk_objects');
    for (const t of ['team_status', 'team_level', 'shelter_tier', 'risk_status', 'risk_type']) await q.query(`drop type ${t}`);
    await q.query('drop function try_geom_from_geojson(text)');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registry: the division tree (city → towns/streets → villages → grids), the responsibility
 * holders with their 包保 chain, and duty rosters. Invariants that must hold whatever code
 * writes the rows live here: codes, E.164 numbers, no holder above itself, no 包保 cycle.
 */
export class Registry1764300000100 implements MigrationInterface {
  name = 'Registry1764300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create type division_level as enum ('city', 'town', 'village', 'grid')`);
    await q.query(`
      create table divisions (
        id uuid primary key default gen_random_uuid(),
        code varchar(24) not null unique check (code ~ '^[0-9A-Za-z_]{2,24}$'),
        name varchar(100) not null check (length(btrim(name)) > 0),
        level division_level not null,
        parent_id uuid references divisions(id) on delete restrict,
        path ltree not null unique,
        boundary geometry(MultiPolygon, 4326) check (boundary is null or st_isvalid(boundary)),
        boundary_synthetic boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint divisions_root_has_no_parent check ((level = 'city') = (parent_id is null))
      )`);
    await q.query('create index divisions_path_gist on divisions using gist (path)');
    await q.query('create index divisions_boundary_gist on divisions using gist (boundary)');
    await q.query('create index divisions_parent_idx on divisions (parent_id)');

    await q.query(`
      create type holder_role as enum (
        'city_leader', 'town_head', 'town_deputy', 'town_liaison', 'village_head', 'village_cadre',
        'patroller', 'flash_flood_warner', 'geo_hazard_observer', 'shelter_manager', 'dilapidated_house_liaison'
      )`);
    await q.query(`
      create table responsibility_holders (
        id uuid primary key default gen_random_uuid(),
        name varchar(50) not null check (length(btrim(name)) > 0),
        role holder_role not null,
        division_id uuid not null references divisions(id) on delete restrict,
        mobile varchar(16) not null check (mobile ~ '^\\+[1-9][0-9]{6,14}$'),
        other_phones varchar(16)[] not null default '{}'
          check (cardinality(other_phones) <= 4 and array_to_string(other_phones, ',') ~ '^(\\+[1-9][0-9]{6,14}(,|$))*$'),
        superior_id uuid references responsibility_holders(id) on delete set null,
        backup_id uuid references responsibility_holders(id) on delete set null,
        active boolean not null default true,
        appointed_year smallint check (appointed_year between 2000 and 2100),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint holders_not_own_superior check (superior_id is distinct from id),
        constraint holders_not_own_backup check (backup_id is distinct from id),
        constraint holders_appointment_key unique (division_id, role, mobile)
      )`);
    await q.query('create index holders_division_idx on responsibility_holders (division_id)');
    await q.query('create index holders_superior_idx on responsibility_holders (superior_id)');
    await q.query('create index holders_mobile_idx on responsibility_holders (mobile)');
    // Backstop for the service's own check: two concurrent edits must not close a 包保 loop,
    // so changes of superior are serialised on one advisory lock and the chain is walked.
    await q.query(`
      create function holders_reject_superior_cycle() returns trigger language plpgsql
      -- A generic plan cached while the table was small seq-scans it for every row of a bulk
      -- load (quadratic); a custom plan per call keeps the primary-key lookups.
      set plan_cache_mode = force_custom_plan as $$
      begin
        if new.superior_id is null then return new; end if;
        perform pg_advisory_xact_lock(3310820002);
        if exists (
          with recursive chain(id, depth) as (
            select new.superior_id, 1
            union all
            select h.superior_id, c.depth + 1 from responsibility_holders h join chain c on h.id = c.id
            where h.superior_id is not null and c.depth < 64
          )
          select 1 from chain where id = new.id
        ) then
          raise exception 'superior chain of holder % would loop', new.id using errcode = '23514',
            constraint = 'holders_superior_acyclic';
        end if;
        return new;
      end $$`);
    await q.query(`
      create trigger holders_superior_acyclic before insert or update of superior_id on responsibility_holders
      for each row execute function holders_reject_superior_cycle()`);

    await q.query(`
      create table duty_rosters (
        id uuid primary key default gen_random_uuid(),
        duty_date date not null,
        division_id uuid not null references divisions(id) on delete restrict,
        leader_id uuid not null references responsibility_holders(id) on delete restrict,
        duty_phone varchar(16) check (duty_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        notes varchar(500),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint duty_rosters_one_per_day unique (division_id, duty_date)
      )`);
    await q.query(`
      create table duty_roster_officers (
        roster_id uuid not null references duty_rosters(id) on delete cascade,
        holder_id uuid not null references responsibility_holders(id) on delete restrict,
        primary key (roster_id, holder_id)
      )`);
    await q.query('create index duty_roster_officers_holder_idx on duty_roster_officers (holder_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table duty_roster_officers');
    await q.query('drop table duty_rosters');
    await q.query('drop trigger holders_superior_acyclic on responsibility_holders');
    await q.query('drop function holders_reject_superior_cycle()');
    await q.query('drop table responsibility_holders');
    await q.query('drop type holder_role');
    await q.query('drop table divisions');
    await q.query('drop type division_level');
  }
}

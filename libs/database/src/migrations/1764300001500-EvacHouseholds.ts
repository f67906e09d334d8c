import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evacuation (人员转移), part 1: the household register, one plan per household (一户一策).
 * A household lives at one risk object (its threatened people), has a head with a phone, a
 * number of members, its vulnerable members each with a named helper, the holder responsible
 * for moving it (村干部包户到人), its assigned shelter and a route note.
 *
 * `division_id` is the risk object's division, copied when the household is written, so the
 * evacuation library scopes and totals by division through registry's exported view without
 * reading geo's tables. Vulnerable members can never outnumber the household (trigger below).
 */
export class EvacHouseholds1764300001500 implements MigrationInterface {
  name = 'EvacHouseholds1764300001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table evac_households (
        id uuid primary key default gen_random_uuid(),
        code varchar(40) not null unique check (code ~ '^[0-9A-Za-z_-]{2,40}$'),
        risk_object_id uuid not null references risk_objects(id) on delete cascade,
        division_id uuid not null references divisions(id) on delete restrict,
        head_name varchar(50) not null check (length(btrim(head_name)) > 0),
        head_phone varchar(16) not null check (head_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        members smallint not null check (members between 1 and 500),
        responsible_holder_id uuid references responsibility_holders(id) on delete set null,
        shelter_id uuid references shelters(id) on delete set null,
        route_note varchar(300),
        address varchar(200),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query('create index evac_households_risk_object_idx on evac_households (risk_object_id)');
    await q.query('create index evac_households_division_idx on evac_households (division_id)');
    await q.query('create index evac_households_holder_idx on evac_households (responsible_holder_id)');
    await q.query(`
      create table evac_household_vulnerable (
        household_id uuid not null references evac_households(id) on delete cascade,
        position smallint not null check (position between 1 and 50),
        name varchar(50) not null check (length(btrim(name)) > 0),
        category varchar(20) not null check (category in ('elderly', 'disabled', 'child', 'pregnant', 'ill', 'other')),
        needs varchar(200),
        helper_name varchar(50) not null check (length(btrim(helper_name)) > 0),
        helper_phone varchar(16) not null check (helper_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        helper_holder_id uuid references responsibility_holders(id) on delete set null,
        primary key (household_id, position)
      )`);
    // Checked at commit (deferred), so a household and its list can be rewritten in any order.
    await q.query(`
      create function evac_vulnerable_within_members() returns trigger language plpgsql as $$
      declare hid uuid;
      begin
        -- new.household_id does not exist on an evac_households row: read the field by table.
        if tg_table_name = 'evac_households' then hid := new.id; else hid := new.household_id; end if;
        if (select count(*) from evac_household_vulnerable where household_id = hid) >
           coalesce((select members from evac_households where id = hid), 32767) then
          raise exception 'household % has more vulnerable members than members', hid
            using errcode = '23514', constraint = 'evac_vulnerable_within_members';
        end if;
        return null;
      end $$`);
    await q.query(`
      create constraint trigger evac_vulnerable_within_members after insert or update on evac_household_vulnerable
      deferrable initially deferred for each row execute function evac_vulnerable_within_members()`);
    await q.query(`
      create constraint trigger evac_members_cover_vulnerable after update of members on evac_households
      deferrable initially deferred for each row execute function evac_vulnerable_within_members()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table evac_household_vulnerable');
    await q.query('drop table evac_households');
    await q.query('drop function evac_vulnerable_within_members()');
  }
}

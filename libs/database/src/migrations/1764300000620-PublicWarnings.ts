import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public warning SMS (一键直达).
 *
 * public_contacts: the people a risk object's warning must reach (residents, tourists,
 * workers…), one row per number per object; phones are E.164, normalised on import.
 *
 * public_campaigns: one "text everyone" order. Its SMS are rows of sms_messages with
 * ref_type 'public_campaign' and ref_id the campaign id, inserted in the same transaction;
 * capped numbers are not queued, so their count is kept here. `request_key` (the caller's id and
 * key) makes a repeated POST return the first campaign. `division_paths` are the objects' divisions,
 * so a town admin sees the campaigns that reached his town.
 */
export class PublicWarnings1764300000620 implements MigrationInterface {
  name = 'PublicWarnings1764300000620';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table public_contacts (
        id uuid primary key default gen_random_uuid(),
        risk_object_id uuid not null references risk_objects(id) on delete cascade,
        name varchar(50) not null check (length(btrim(name)) > 0),
        phone varchar(16) not null check (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        category varchar(12) not null check (category in ('resident', 'vulnerable', 'tourist', 'worker', 'other')),
        note varchar(200),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (risk_object_id, phone)
      )`);
    await q.query(`
      create table public_campaigns (
        id uuid primary key default gen_random_uuid(),
        request_key varchar(200) not null unique,
        title varchar(200) not null,
        params jsonb not null check (jsonb_typeof(params) = 'object'),
        risk_object_codes text[] not null,
        division_paths ltree[] not null,
        warning_id uuid references warnings(id) on delete set null,
        include_vulnerable_helpers boolean not null default false,
        created_by uuid references users(id) on delete set null,
        created_by_name varchar(100) not null,
        recipients int not null check (recipients >= 0),
        queued int not null check (queued >= 0),
        duplicates int not null check (duplicates >= 0),
        capped int not null check (capped >= 0),
        created_at timestamptz not null default now()
      )`);
    await q.query('create index public_campaigns_created_idx on public_campaigns (created_at desc, id desc)');
    await q.query('create index public_campaigns_paths_idx on public_campaigns using gist (division_paths)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table public_campaigns');
    await q.query('drop table public_contacts');
  }
}

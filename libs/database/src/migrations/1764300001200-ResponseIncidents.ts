import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The "1618" response (issue 9): incidents with their level and scope, the history of every
 * level change (who, when, why), and the mandatory-measures checklist per town. One open
 * incident (proposed or active) per kind: a rule's second proposal joins it, never forks it.
 * `version` is the optimistic lock two commanders race on. `wakeup_campaigns.policy`: the
 * response level's wake-up policy a running campaign follows while stricter than its colour's.
 */
export class ResponseIncidents1764300001200 implements MigrationInterface {
  name = 'ResponseIncidents1764300001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table response_incidents (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('flood', 'typhoon')),
        level text not null check (level in ('marine', 'IV', 'III', 'II', 'I')),
        city_wide boolean not null default false,
        town_codes text[] not null default '{}',
        town_paths text[] not null default '{}',
        order_no varchar(60),
        title varchar(200) not null,
        status text not null check (status in ('proposed', 'active', 'ended', 'dismissed')),
        source text not null check (source in ('rule', 'manual')),
        proposal jsonb,
        suggestion jsonb,
        report_interval_minutes integer not null,
        next_report_due_at timestamptz,
        campaign_id uuid,
        created_by varchar(100) not null,
        created_at timestamptz not null,
        started_at timestamptz,
        ended_at timestamptz,
        end_reason varchar(500),
        version integer not null default 1,
        check (city_wide or cardinality(town_codes) > 0)
      )`);
    await q.query(`create unique index response_incidents_one_open on response_incidents (kind) where status in ('proposed', 'active')`);
    await q.query('create index response_incidents_created on response_incidents (created_at desc, id desc)');
    await q.query(`
      create table response_level_changes (
        id bigint generated always as identity primary key,
        incident_id uuid not null references response_incidents (id) on delete cascade,
        action text not null check (action in ('propose', 'suggest', 'start', 'confirm', 'dismiss', 'raise', 'lower', 'widen', 'end')),
        from_level text,
        to_level text,
        from_towns text[],
        to_towns text[],
        city_wide boolean not null,
        reason varchar(500) not null,
        by_who varchar(100) not null,
        by_role varchar(40),
        at timestamptz not null,
        version integer not null,
        effects jsonb not null default '{}'
      )`);
    await q.query('create index response_level_changes_incident on response_level_changes (incident_id, id)');
    await q.query(`
      create table response_measures (
        id bigint generated always as identity primary key,
        incident_id uuid not null references response_incidents (id) on delete cascade,
        code varchar(40) not null,
        domain varchar(20) not null,
        text varchar(200) not null,
        level text not null,
        town_code varchar(12) not null,
        added_at timestamptz not null,
        done_at timestamptz,
        done_by varchar(100),
        note varchar(500),
        constraint response_measures_once unique (incident_id, code, town_code)
      )`);
    await q.query('alter table wakeup_campaigns add column policy jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table wakeup_campaigns drop column policy');
    await q.query('drop table response_measures');
    await q.query('drop table response_level_changes');
    await q.query('drop table response_incidents');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The command side of a response (issue 9, part 3): the standard steps tracked per incident,
 * the HQ groups of the three tiers with the people staffing them, the special plans activated
 * and the control points they name (risk objects of libs/geo, kept by id with the name and
 * division path they had, so the list stays readable if the register changes later).
 */
export class ResponseCommand1764300001210 implements MigrationInterface {
  name = 'ResponseCommand1764300001210';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table response_steps (
        id bigint generated always as identity primary key,
        incident_id uuid not null references response_incidents (id) on delete cascade,
        seq integer not null,
        code varchar(40) not null,
        name varchar(60) not null,
        owner_group varchar(40) not null,
        plan_code varchar(40),
        checklist jsonb not null default '[]',
        status text not null default 'pending' check (status in ('pending', 'started', 'done', 'skipped')),
        started_at timestamptz,
        done_at timestamptz,
        notes jsonb not null default '[]',
        updated_by varchar(100),
        constraint response_steps_once unique (incident_id, code)
      )`);
    await q.query(`
      create table response_groups (
        id bigint generated always as identity primary key,
        incident_id uuid not null references response_incidents (id) on delete cascade,
        tier text not null check (tier in ('emergency', 'special', 'onsite')),
        code varchar(40) not null,
        name varchar(60) not null,
        is_lead boolean not null default false,
        plan_code varchar(40),
        constraint response_groups_once unique (incident_id, code)
      )`);
    await q.query(`
      create table response_group_members (
        id bigint generated always as identity primary key,
        group_id bigint not null references response_groups (id) on delete cascade,
        holder_id uuid,
        user_id uuid,
        name varchar(60) not null,
        role text not null check (role in ('lead', 'member')),
        added_by varchar(100) not null,
        added_at timestamptz not null,
        check ((holder_id is null) <> (user_id is null))
      )`);
    await q.query(
      'create unique index response_group_members_holder on response_group_members (group_id, holder_id) where holder_id is not null',
    );
    await q.query(
      'create unique index response_group_members_user on response_group_members (group_id, user_id) where user_id is not null',
    );
    await q.query(`
      create table response_plan_activations (
        id bigint generated always as identity primary key,
        incident_id uuid not null references response_incidents (id) on delete cascade,
        plan_code varchar(40) not null,
        activated_by varchar(100) not null,
        activated_at timestamptz not null,
        shortfall jsonb not null default '[]',
        constraint response_plan_activations_once unique (incident_id, plan_code)
      )`);
    await q.query(`
      create table response_control_points (
        id bigint generated always as identity primary key,
        incident_id uuid not null references response_incidents (id) on delete cascade,
        plan_code varchar(40) not null,
        kind text not null check (kind in ('road', 'point')),
        risk_object_id uuid not null,
        code varchar(40) not null,
        name varchar(200) not null,
        division_path text not null,
        status text not null default 'pending' check (status in ('pending', 'controlled', 'released')),
        status_at timestamptz,
        status_by varchar(100),
        constraint response_control_points_once unique (incident_id, risk_object_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table response_control_points');
    await q.query('drop table response_plan_activations');
    await q.query('drop table response_group_members');
    await q.query('drop table response_groups');
    await q.query('drop table response_steps');
  }
}

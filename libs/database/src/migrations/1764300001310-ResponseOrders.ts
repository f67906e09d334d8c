import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders (指令) from an HQ or a group to towns, groups or named people, delivered as a wake-up
 * campaign (`campaign_id`, no foreign key: wake-up's table). Each target is one obligation:
 * signed for (签收) when one of its people answers the call, completed (反馈) with a report and
 * counts, overdue when the order's deadline passes first. Its people are kept per target so a
 * receipt (a wake-up outbox event naming the campaign and the person) finds its targets.
 *
 * Every one belongs to a response incident (`incident_id`, issued only while it is active).
 */
export class ResponseOrders1764300001310 implements MigrationInterface {
  name = 'ResponseOrders1764300001310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table response_orders (
        id uuid primary key default gen_random_uuid(),
        incident_id uuid not null references response_incidents(id),
        issuer_kind varchar(10) not null check (issuer_kind in ('hq', 'group')),
        issuer_name varchar(100) not null,
        issuer_group_id uuid,
        title varchar(200) not null,
        body varchar(2000) not null,
        report_items jsonb not null default '[]',
        level varchar(10) not null check (level in ('blue', 'yellow', 'orange', 'red')),
        deadline_at timestamptz not null,
        drill boolean not null default false,
        campaign_id uuid,
        state varchar(10) not null default 'open' check (state in ('open', 'completed')),
        request_key varchar(120) unique,
        created_by varchar(100) not null,
        created_at timestamptz not null,
        completed_at timestamptz
      )`);
    await q.query('create index response_orders_incident on response_orders (incident_id, created_at desc)');
    await q.query('create index response_orders_campaign on response_orders (campaign_id)');
    await q.query(`
      create table response_order_targets (
        id uuid primary key default gen_random_uuid(),
        order_id uuid not null references response_orders (id) on delete cascade,
        kind varchar(10) not null check (kind in ('town', 'group', 'person')),
        ref varchar(64) not null,
        label varchar(100) not null,
        town_code varchar(24) not null,
        scope_path ltree not null,
        state varchar(10) not null default 'sent' check (state in ('sent', 'signed', 'completed')),
        signed_at timestamptz,
        signed_via varchar(10),
        signed_by varchar(100),
        escalated_at timestamptz,
        overdue_at timestamptz,
        completed_at timestamptz,
        completed_via varchar(10),
        completed_by varchar(100),
        report varchar(2000),
        counts jsonb,
        late boolean not null default false,
        unique (order_id, kind, ref)
      )`);
    await q.query('create index response_order_targets_scope on response_order_targets using gist (scope_path)');
    // What the overdue loop claims: targets not completed and not yet marked overdue.
    await q.query(
      `create index response_order_targets_due on response_order_targets (order_id) where state <> 'completed' and overdue_at is null`,
    );
    await q.query(`
      create table response_order_recipients (
        target_id uuid not null references response_order_targets (id) on delete cascade,
        holder_id uuid not null,
        order_id uuid not null references response_orders (id) on delete cascade,
        name varchar(100) not null,
        division_code varchar(24) not null,
        received_at timestamptz,
        received_via varchar(10),
        escalated_at timestamptz,
        primary key (target_id, holder_id)
      )`);
    await q.query('create index response_order_recipients_holder on response_order_recipients (order_id, holder_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table response_order_recipients');
    await q.query('drop table response_order_targets');
    await q.query('drop table response_orders');
  }
}

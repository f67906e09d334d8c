import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 叫应 (wake-up): campaigns, one call per person per campaign, the acknowledgement ledger
 * across channels, escalations, and the durable timers (steps) that repeat and escalate.
 *
 * Calls keep a snapshot of the person (name, role, division, phone) as they were called: the
 * record of who was woken must not change when the registry changes later.
 */
export class Wakeup1764300000700 implements MigrationInterface {
  name = 'Wakeup1764300000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table wakeup_campaigns (
        id uuid primary key default gen_random_uuid(),
        source varchar(10) not null check (source in ('warning', 'manual')),
        source_key varchar(200) not null unique,
        warning_id uuid references warnings(id) on delete set null,
        warning_kind varchar(20) not null,
        level varchar(10) not null check (level in ('blue', 'yellow', 'orange', 'red')),
        rule_name varchar(60),
        title varchar(200) not null,
        message varchar(1000) not null,
        drill boolean not null default false,
        state varchar(10) not null default 'active' check (state in ('active', 'closed')),
        area jsonb not null default '{}',
        unreachable jsonb not null default '[]',
        created_by varchar(100) not null,
        created_at timestamptz not null,
        closed_at timestamptz,
        close_reason varchar(300),
        check ((state = 'closed') = (closed_at is not null))
      )`);
    await q.query('create index wakeup_campaigns_warning_idx on wakeup_campaigns (warning_id)');
    await q.query(`
      create table wakeup_calls (
        id uuid primary key default gen_random_uuid(),
        campaign_id uuid not null references wakeup_campaigns(id) on delete cascade,
        holder_id uuid references responsibility_holders(id) on delete set null,
        holder_name varchar(50) not null,
        holder_role varchar(40) not null,
        division_code varchar(24) not null,
        division_path ltree not null,
        mobile varchar(16) not null,
        reasons jsonb not null,
        origin varchar(12) not null check (origin in ('recipient', 'escalation')),
        escalated_from uuid references wakeup_calls(id) on delete set null,
        depth smallint not null default 0 check (depth >= 0),
        created_at timestamptz not null,
        deadline_at timestamptz not null,
        received_at timestamptz,
        received_via varchar(12),
        done_at timestamptz,
        done_via varchar(12),
        done_counts jsonb,
        late boolean not null default false,
        escalated_at timestamptz,
        push_delivered_at timestamptz,
        sms_status varchar(12),
        sms_capped boolean not null default false,
        check ((done_at is null) or (received_at is not null)),
        constraint wakeup_calls_one_per_person unique (campaign_id, holder_id)
      )`);
    // Campaign lookups use the (campaign_id, holder_id) key; SMS replies find open calls by number.
    // Nothing else is indexed: every index is paid for 5,000 times in a fan-out.
    await q.query('create index wakeup_calls_mobile_open_idx on wakeup_calls (mobile) where received_at is null');
    await q.query(`
      create table wakeup_acks (
        id bigint generated always as identity primary key,
        call_id uuid not null references wakeup_calls(id) on delete cascade,
        stage varchar(10) not null check (stage in ('received', 'done')),
        channel varchar(12) not null check (channel in ('socket', 'link', 'sms_reply', 'proxy')),
        accepted boolean not null,
        late boolean not null,
        by_user_id uuid references users(id) on delete set null,
        from_phone varchar(16),
        note varchar(500),
        counts jsonb,
        at timestamptz not null,
        check (channel <> 'proxy' or (by_user_id is not null and note is not null))
      )`);
    // One accepted answer per call and stage, whatever the channel and however many arrive at once.
    await q.query('create unique index wakeup_acks_first_idx on wakeup_acks (call_id, stage) where accepted');
    await q.query(`
      create table wakeup_escalations (
        id bigint generated always as identity primary key,
        campaign_id uuid not null references wakeup_campaigns(id) on delete cascade,
        from_call_id uuid not null references wakeup_calls(id) on delete cascade,
        kind varchar(10) not null check (kind in ('superior', 'backup', 'duty', 'board')),
        to_holder_id uuid references responsibility_holders(id) on delete set null,
        to_call_id uuid references wakeup_calls(id) on delete set null,
        to_name varchar(50),
        at timestamptz not null,
        constraint wakeup_escalations_once unique (from_call_id, kind)
      )`);
    await q.query(`
      create table wakeup_steps (
        id bigint generated always as identity primary key,
        call_id uuid not null references wakeup_calls(id) on delete cascade,
        kind varchar(12) not null check (kind in ('first_sms', 'repeat_sms', 'escalate')),
        seq smallint not null,
        due_at timestamptz not null,
        state varchar(10) not null default 'pending' check (state in ('pending', 'done', 'cancelled')),
        attempts int not null default 0,
        leased_until timestamptz,
        done_at timestamptz,
        result varchar(200),
        constraint wakeup_steps_once unique (call_id, kind, seq)
      )`);
    await q.query(`create index wakeup_steps_due_idx on wakeup_steps (due_at) where state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table wakeup_steps');
    await q.query('drop table wakeup_escalations');
    await q.query('drop table wakeup_acks');
    await q.query('drop table wakeup_calls');
    await q.query('drop table wakeup_campaigns');
  }
}

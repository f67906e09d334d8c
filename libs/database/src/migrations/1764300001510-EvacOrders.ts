import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evacuation (人员转移), parts 2 and 3: transfer orders (转移令, 准备转移 / 立即转移) and one
 * task per household, with the shelter places reserved for it.
 *
 * Places: a task's `reserved` and the shelter's `reserved` (geo's column, whose check
 * `shelters_capacity_is_a_hard_limit` keeps occupancy + reserved <= capacity) move in the same
 * transaction, the shelter row locked by its guarded UPDATE; a task never holds more places than
 * it has people. One open task per household (closed_at null): a second order over the same
 * household takes the open one over instead of reserving twice.
 *
 * A task without a shelter (none open with room within evacuation.maxShelterDistanceM) or
 * without a responsible holder is kept and flagged for the command room, never dropped.
 *
 * An order may name the response incident it serves (`incident_id`, active when the order is raised).
 * Wake-up campaigns gain the source 'evacuation' (an order pushes its tasks as a campaign).
 */
export class EvacOrders1764300001510 implements MigrationInterface {
  name = 'EvacOrders1764300001510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table evac_orders (
        id uuid primary key default gen_random_uuid(),
        level varchar(10) not null check (level in ('prepare', 'immediate')),
        state varchar(10) not null default 'active' check (state in ('active', 'lifted', 'cancelled')),
        source varchar(12) not null check (source in ('risk_status', 'manual')),
        source_key varchar(200) not null unique,
        incident_id uuid references response_incidents(id),
        risk_object_ids uuid[] not null default '{}',
        division_codes varchar(24)[] not null default '{}',
        title varchar(200) not null,
        reason varchar(300),
        drill boolean not null default false,
        campaign_id uuid references wakeup_campaigns(id) on delete set null,
        created_by varchar(100) not null,
        created_at timestamptz not null,
        upgraded_at timestamptz,
        closed_at timestamptz,
        check ((state = 'active') = (closed_at is null))
      )`);
    await q.query("create index evac_orders_active_idx on evac_orders (created_at) where state = 'active'");
    await q.query('create index evac_orders_risk_objects_idx on evac_orders using gin (risk_object_ids)');
    await q.query(`
      create table evac_tasks (
        id uuid primary key default gen_random_uuid(),
        order_id uuid not null references evac_orders(id) on delete cascade,
        household_id uuid references evac_households(id) on delete set null,
        household_code varchar(40) not null,
        head_name varchar(50) not null,
        people smallint not null check (people > 0),
        risk_object_id uuid references risk_objects(id) on delete set null,
        division_id uuid not null references divisions(id) on delete restrict,
        holder_id uuid references responsibility_holders(id) on delete set null,
        shelter_id uuid references shelters(id) on delete restrict,
        reserved smallint not null default 0 check (reserved >= 0 and reserved <= people),
        rerouted_from_shelter_id uuid references shelters(id) on delete set null,
        distance_m integer,
        -- Why the task went elsewhere than planned, or why it has no shelter (flagged for the command room).
        route_note varchar(300),
        status varchar(12) not null default 'issued' check (status in ('issued', 'arrived', 'cancelled')),
        checked_in smallint not null default 0 check (checked_in >= 0),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        arrived_at timestamptz,
        closed_at timestamptz,
        check (shelter_id is not null or reserved = 0)
      )`);
    await q.query('create unique index evac_tasks_one_open_per_household on evac_tasks (household_id) where closed_at is null');
    await q.query('create index evac_tasks_order_idx on evac_tasks (order_id)');
    await q.query('create index evac_tasks_shelter_idx on evac_tasks (shelter_id) where reserved > 0');
    await q.query('create index evac_tasks_holder_idx on evac_tasks (holder_id)');
    await q.query('alter table wakeup_campaigns drop constraint wakeup_campaigns_source_check');
    await q.query(
      `alter table wakeup_campaigns add constraint wakeup_campaigns_source_check check (source in ('warning', 'manual', 'order', 'evacuation'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`delete from wakeup_campaigns where source = 'evacuation'`);
    await q.query('alter table wakeup_campaigns drop constraint wakeup_campaigns_source_check');
    await q.query(
      `alter table wakeup_campaigns add constraint wakeup_campaigns_source_check check (source in ('warning', 'manual', 'order'))`,
    );
    await q.query('drop table evac_tasks');
    await q.query('drop table evac_orders');
  }
}

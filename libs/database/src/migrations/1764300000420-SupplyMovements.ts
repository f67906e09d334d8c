import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock adjustments carry a reason ("issued to 东塍镇 for Typhoon 2509"); this keeps each one,
 * with the quantity it left, so a depot's count can be explained afterwards. Also indexes the
 * division of teams and depots, which every scoped list filters on.
 */
export class SupplyMovements1764300000420 implements MigrationInterface {
  name = 'SupplyMovements1764300000420';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table supply_stock_movements (
        id bigint generated always as identity primary key,
        depot_id uuid not null references supply_depots(id) on delete cascade,
        category varchar(40) not null,
        item varchar(100) not null,
        delta numeric(12, 2) not null check (delta <> 0),
        quantity_after numeric(12, 2) not null check (quantity_after >= 0),
        reason varchar(200) not null check (length(btrim(reason)) > 0),
        actor varchar(100) not null,
        created_at timestamptz not null default now()
      )`);
    await q.query('create index supply_stock_movements_item_idx on supply_stock_movements (depot_id, category, item, created_at)');
    await q.query('create index rescue_teams_division_idx on rescue_teams (division_id)');
    await q.query('create index supply_depots_division_idx on supply_depots (division_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index supply_depots_division_idx');
    await q.query('drop index rescue_teams_division_idx');
    await q.query('drop table supply_stock_movements');
  }
}

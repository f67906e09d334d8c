import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a risk object is in its status, and every change of it: the command room asks "since
 * when has 东湖村 been on 立即转移, and who or which warning put it there". The feeds module
 * will drive these changes; a person can also set them. History rows are never updated.
 */
export class RiskObjectStatus1764300000410 implements MigrationInterface {
  name = 'RiskObjectStatus1764300000410';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table risk_objects add column status_reason varchar(200)');
    await q.query(`
      create table risk_object_status_changes (
        id bigint generated always as identity primary key,
        risk_object_id uuid not null references risk_objects(id) on delete cascade,
        from_status risk_status not null,
        to_status risk_status not null,
        reason varchar(200) not null check (length(btrim(reason)) > 0),
        changed_by varchar(100) not null,
        changed_at timestamptz not null default now()
      )`);
    await q.query('create index risk_object_status_changes_object_idx on risk_object_status_changes (risk_object_id, changed_at desc)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table risk_object_status_changes');
    await q.query('alter table risk_objects drop column status_reason');
  }
}

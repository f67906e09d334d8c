import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evacuation, part 4: progress from the field. Each report carries the id the phone made
 * (`client_id`, unique): a phone that resends after a dropped connection finds its first report
 * and changes nothing. Tasks gain the field states (notified, moving, moved, refused,
 * unreachable, trapped, returned) and the people reported moved. Returning home is refused
 * while the order is active (不擅返); lifting the order gives unused places back.
 */
export class EvacReports1764300001520 implements MigrationInterface {
  name = 'EvacReports1764300001520';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table evac_tasks drop constraint evac_tasks_status_check');
    await q.query(`
      alter table evac_tasks add constraint evac_tasks_status_check check (status in
        ('issued', 'notified', 'moving', 'moved', 'arrived', 'refused', 'unreachable', 'trapped', 'returned', 'cancelled'))`);
    await q.query('alter table evac_tasks add column moved_people smallint not null default 0 check (moved_people >= 0)');
    await q.query('alter table evac_tasks add column forced boolean not null default false');
    await q.query(`
      create table evac_reports (
        id bigint generated always as identity primary key,
        task_id uuid not null references evac_tasks(id) on delete cascade,
        client_id varchar(80) not null unique,
        kind varchar(12) not null check (kind in ('notified', 'moving', 'moved', 'refused', 'unreachable', 'trapped', 'returned')),
        people smallint check (people >= 0),
        reason varchar(300),
        forced boolean not null default false,
        by_user_id uuid references users(id) on delete set null,
        at timestamptz not null,
        check (kind <> 'refused' or reason is not null)
      )`);
    await q.query('create index evac_reports_task_idx on evac_reports (task_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table evac_reports');
    await q.query('alter table evac_tasks drop column forced');
    await q.query('alter table evac_tasks drop column moved_people');
    await q.query(`delete from evac_tasks where status not in ('issued', 'arrived', 'cancelled')`);
    await q.query('alter table evac_tasks drop constraint evac_tasks_status_check');
    await q.query(`alter table evac_tasks add constraint evac_tasks_status_check check (status in ('issued', 'arrived', 'cancelled'))`);
  }
}

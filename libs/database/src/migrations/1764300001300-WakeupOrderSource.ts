import { MigrationInterface, QueryRunner } from 'typeorm';

/** A wake-up campaign may be started by a response order (指令, libs/response): source `order`. */
export class WakeupOrderSource1764300001300 implements MigrationInterface {
  name = 'WakeupOrderSource1764300001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table wakeup_campaigns drop constraint wakeup_campaigns_source_check');
    await q.query(
      `alter table wakeup_campaigns add constraint wakeup_campaigns_source_check check (source in ('warning', 'manual', 'order'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table wakeup_campaigns drop constraint wakeup_campaigns_source_check');
    await q.query(`alter table wakeup_campaigns add constraint wakeup_campaigns_source_check check (source in ('warning', 'manual'))`);
  }
}

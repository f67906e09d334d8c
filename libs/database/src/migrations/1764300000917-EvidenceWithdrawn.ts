import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence withdrawn (issue 17). `readings.flagged_at`: when a stored reading that was `ok`
 * turned `suspect` (a later neighbour push, a correction, an impossible window); null for rows
 * never re-flagged. `threshold_states.level_since`: when the subject reached its current level,
 * so an evaluation can tell a reading withdrawn after that moment (the level stood on it) from
 * one flagged before. `threshold_events.reason`: why a crossing happened when it is not the
 * rain itself (an alarm withdrawn because its evidence became suspect).
 */
export class EvidenceWithdrawn1764300000917 implements MigrationInterface {
  name = 'EvidenceWithdrawn1764300000917';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table readings add column flagged_at timestamptz');
    await q.query('alter table threshold_states add column level_since timestamptz');
    await q.query('alter table threshold_events add column reason text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table threshold_events drop column reason');
    await q.query('alter table threshold_states drop column level_since');
    await q.query('alter table readings drop column flagged_at');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleting old outbox events cascades to their delivery rows; without an index on event_id
 * every deleted event would scan all deliveries.
 */
export class OutboxPrune1764300000720 implements MigrationInterface {
  name = 'OutboxPrune1764300000720';

  async up(q: QueryRunner): Promise<void> {
    await q.query('create index outbox_deliveries_event_idx on outbox_deliveries (event_id)');
    await q.query('create index outbox_events_created_idx on outbox_events (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index outbox_events_created_idx');
    await q.query('drop index outbox_deliveries_event_idx');
  }
}

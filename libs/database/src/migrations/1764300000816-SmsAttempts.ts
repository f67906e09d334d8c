import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each message keeps its history of provider requests, status look-ups and receipts
 * (`attempts`: [{at, provider, kind: send|query|receipt, result, code?}], the last 20), so an
 * error is not overwritten by the next provider's success or by the receipt. The stats route
 * reads it for the messages created in a window (created_at index).
 */
export class SmsAttempts1764300000816 implements MigrationInterface {
  name = 'SmsAttempts1764300000816';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `alter table sms_messages add column attempts jsonb not null default '[]'::jsonb check (jsonb_typeof(attempts) = 'array')`,
    );
    await q.query('create index sms_messages_created_idx on sms_messages (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index sms_messages_created_idx');
    await q.query('alter table sms_messages drop column attempts');
  }
}

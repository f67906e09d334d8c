import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery receipts that arrive before the send's answer is recorded (Tencent pushes by `sid`,
 * the SerialNo we only learn from the answer). They are parked here, in the database so that a
 * restart keeps them, and applied when the answer lands; bounded in age and count
 * (sms.earlyReceipts).
 */
export class SmsEarlyReceipts1764300000815 implements MigrationInterface {
  name = 'SmsEarlyReceipts1764300000815';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table sms_early_receipts (
        id bigint generated always as identity primary key,
        provider varchar(30) not null,
        to_phone varchar(20) not null,
        provider_message_id varchar(100),
        out_id varchar(64),
        delivered boolean not null,
        code varchar(120) not null,
        at timestamptz,
        received_at timestamptz not null default now(),
        check (provider_message_id is not null or out_id is not null)
      )`);
    await q.query(
      `create unique index sms_early_receipts_key on sms_early_receipts (provider, to_phone, coalesce(provider_message_id, ''), coalesce(out_id, ''))`,
    );
    await q.query(
      'create index sms_early_receipts_pmid_idx on sms_early_receipts (provider, provider_message_id) where provider_message_id is not null',
    );
    await q.query('create index sms_early_receipts_out_id_idx on sms_early_receipts (provider, out_id) where out_id is not null');
    await q.query('create index sms_early_receipts_age_idx on sms_early_receipts (received_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table sms_early_receipts');
  }
}

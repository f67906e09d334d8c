import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `capped`: a provider refused the message under its per-number limit (Aliyun 天级/小时级流控,
 * Tencent PhoneNumberDailyLimit …) and no other provider in the chain took it. Final for the
 * day: the wake-up marks the call "phone him", as for our own daily cap.
 */
export class SmsCapped1764300000814 implements MigrationInterface {
  name = 'SmsCapped1764300000814';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table sms_messages drop constraint sms_messages_status_check');
    await q.query(`alter table sms_messages add constraint sms_messages_status_check
      check (status in ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'capped'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`update sms_messages set status = 'failed' where status = 'capped'`);
    await q.query('alter table sms_messages drop constraint sms_messages_status_check');
    await q.query(`alter table sms_messages add constraint sms_messages_status_check
      check (status in ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed'))`);
  }
}

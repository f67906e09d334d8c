import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SMS channel's durable queue. A message is inserted in the caller's transaction
 * (`queued`), claimed by a sender with FOR UPDATE SKIP LOCKED and a lease, marked `sending`
 * with its attempt number, provider and attempt key (`out_id`, sent as Aliyun OutId / Tencent
 * SessionContext) and COMMITTED before the HTTP request leaves; the provider's answer moves it
 * to `sent` (accepted), a receipt to `delivered` / `undelivered`, giving up to `failed`.
 * A row found `sending` with an expired lease has an unknown outcome: the sender asks the
 * provider (QuerySendDetails / PullSmsSendStatusByPhoneNumber) before it ever sends again.
 *
 * sms_daily_counts: messages enqueued per number per Beijing day (the provider's daily cap).
 * sms_replies: inbound replies, one row per provider message (duplicate pushes collapse).
 */
export class Sms1764300000600 implements MigrationInterface {
  name = 'Sms1764300000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table sms_messages (
        id uuid primary key default gen_random_uuid(),
        idempotency_key varchar(200) not null unique,
        to_phone varchar(20) not null check (to_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        template varchar(50) not null,
        params jsonb not null default '{}'::jsonb check (jsonb_typeof(params) = 'object'),
        purpose varchar(10) not null check (purpose in ('wakeup', 'public', 'drill')),
        ref_type varchar(50),
        ref_id varchar(100),
        status varchar(12) not null default 'queued'
          check (status in ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed')),
        attempt int not null default 0 check (attempt >= 0),
        due_at timestamptz not null default now(),
        lease_until timestamptz,
        provider varchar(30),
        out_id varchar(64),
        sending_at timestamptz,
        provider_message_id varchar(100),
        error_code varchar(120),
        error_message varchar(500),
        created_at timestamptz not null default now(),
        sent_at timestamptz,
        delivered_at timestamptz,
        updated_at timestamptz not null default now(),
        claim_token uuid,
        check (status <> 'sending' or (lease_until is not null and claim_token is not null))
      )`);
    await q.query(`create index sms_messages_due_idx on sms_messages (due_at) where status = 'queued'`);
    await q.query(`create index sms_messages_lease_idx on sms_messages (lease_until) where status = 'sending'`);
    await q.query('create index sms_messages_ref_idx on sms_messages (ref_type, ref_id)');
    // Partial: a queued message has neither yet, and a 5,000-message fan-out should not index 10,000 nulls.
    await q.query(
      'create index sms_messages_provider_msg_idx on sms_messages (provider, provider_message_id) where provider_message_id is not null',
    );
    await q.query('create index sms_messages_out_id_idx on sms_messages (out_id) where out_id is not null');
    await q.query('create index sms_messages_to_idx on sms_messages (to_phone, created_at desc)');
    await q.query(`
      create table sms_daily_counts (
        phone varchar(20) not null,
        day date not null,
        count int not null check (count >= 0),
        primary key (phone, day)
      )`);
    await q.query(`
      create table sms_replies (
        id bigint generated always as identity primary key,
        provider varchar(30) not null,
        dedup_key varchar(200) not null,
        from_phone varchar(20) not null,
        text varchar(2000) not null,
        dest_code varchar(40),
        received_at timestamptz not null,
        message_id uuid references sms_messages(id) on delete set null,
        created_at timestamptz not null default now(),
        unique (provider, dedup_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table sms_replies');
    await q.query('drop table sms_daily_counts');
    await q.query('drop table sms_messages');
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { COLS, keepLast, SmsRow } from './sms.repository';
import type { SmsReceipt } from './sms.types';

/** First key of the two-key advisory locks taken per (provider, number) for receipts. */
const RECEIPT_LOCK_SPACE = 1414;

/** Named queries for delivery receipts: applying them to sms_messages, and parking early ones (sms_early_receipts). */
@Injectable()
export class SmsReceiptRepository {
  /**
   * Serialises receipts and recorded answers for the same (provider, number): a receipt that
   * finds no message takes this lock and looks again before parking, and the sender takes it
   * before recording `sent` and applying parked receipts, so no receipt is parked after its
   * message was recorded and then left unapplied. Sorted keys: no deadlock between senders.
   */
  async lockNumbers(m: EntityManager, pairs: Array<{ provider: string; to: string }>): Promise<void> {
    if (!pairs.length) return;
    await m.query(
      `select pg_advisory_xact_lock(${RECEIPT_LOCK_SPACE}, k) from (
         select distinct hashtext(p || ':' || t) as k from unnest($1::text[], $2::text[]) as x(p, t) order by 1) keys`,
      [pairs.map((x) => x.provider), pairs.map((x) => x.to)],
    );
  }

  /**
   * A delivery receipt: the message of this provider with the receipt's id (or attempt key)
   * and number moves from sending/sent to delivered/undelivered. A repeated receipt finds the
   * row already moved and changes nothing.
   */
  async apply(m: EntityManager, provider: string, r: SmsReceipt): Promise<SmsRow | null> {
    const [row]: SmsRow[] = await m.query(
      `with target as (
         select id from sms_messages
         where provider = $1::text and to_phone = $2 and status in ('sending', 'sent')
           and (($3::text is not null and provider_message_id = $3) or ($4::text is not null and out_id = $4))
         order by created_at desc limit 1 for update),
       u as (
         update sms_messages m set status = $5::text, delivered_at = coalesce($6, now()), error_code = $7::text,
           sent_at = coalesce(m.sent_at, now()), claim_token = null, lease_until = null, updated_at = now(),
           attempts = ${keepLast(`m.attempts || jsonb_build_array(jsonb_build_object('at', now(), 'provider', $1::text, 'kind', 'receipt', 'result', $5::text, 'code', $7::text))`)}
         from target where m.id = target.id returning m.*)
       select ${COLS} from u m`,
      [provider, r.to, r.providerMessageId ?? null, r.outId ?? null, r.delivered ? 'delivered' : 'undelivered', r.at, r.code],
    );
    return row ?? null;
  }

  /**
   * A receipt no message matches yet. If no message of this provider carries its id at all (a
   * repeat of an applied receipt does), it is parked until the send's answer lands: 'parked';
   * 'known' for a repeat; 'full' when `maxParked` receipts are already waiting. Receipts older
   * than `keepSeconds` are dropped first (a send whose answer never came gives up long before).
   */
  async park(
    m: EntityManager,
    provider: string,
    r: SmsReceipt,
    keepSeconds: number,
    maxParked: number,
  ): Promise<'parked' | 'known' | 'full'> {
    if (!r.providerMessageId && !r.outId) return 'known';
    const [known] = await m.query(
      `select 1 from sms_messages where provider = $1 and to_phone = $2
         and (($3::text is not null and provider_message_id = $3) or ($4::text is not null and out_id = $4)) limit 1`,
      [provider, r.to, r.providerMessageId ?? null, r.outId ?? null],
    );
    if (known) return 'known';
    await m.query(
      `delete from sms_early_receipts where id in (
         select id from sms_early_receipts where received_at < now() - make_interval(secs => $1) order by received_at limit 1000)`,
      [keepSeconds],
    );
    const rows: unknown[] = await m.query(
      `insert into sms_early_receipts (provider, to_phone, provider_message_id, out_id, delivered, code, at)
       select $1, $2, $3, $4, $5, left($6, 120), $7
       where (select count(*) from sms_early_receipts) < $8
       on conflict do nothing returning id`,
      [provider, r.to, r.providerMessageId ?? null, r.outId ?? null, r.delivered, r.code, r.at, maxParked],
    );
    if (rows.length) return 'parked';
    const [{ n }]: Array<{ n: number }> = await m.query('select count(*)::int as n from sms_early_receipts');
    return n >= maxParked ? 'full' : 'parked'; // else: the same receipt was parked already
  }

  /**
   * Messages just recorded `sent`: a parked receipt for one of them (same provider, number and
   * id or attempt key) is applied now and removed, in the same transaction. Returns the rows moved
   * to delivered/undelivered.
   */
  async applyParked(m: EntityManager, sent: SmsRow[]): Promise<SmsRow[]> {
    const rows = sent.filter((r) => r.provider && (r.providerMessageId || r.outId));
    if (!rows.length) return [];
    return m.query(
      `with x as (select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) as t(id, provider, to_phone, pmid, out_id)),
       p as (
         delete from sms_early_receipts e using x
         where e.provider = x.provider and e.to_phone = x.to_phone
           and ((x.pmid is not null and e.provider_message_id = x.pmid) or (x.out_id is not null and e.out_id = x.out_id))
         returning x.id as msg_id, e.id as pid, e.delivered, e.code, e.at),
       one as (select distinct on (msg_id) * from p order by msg_id, pid desc),
       u as (
         update sms_messages m set status = case when one.delivered then 'delivered' else 'undelivered' end,
           delivered_at = coalesce(one.at, now()), error_code = one.code, updated_at = now(),
           attempts = ${keepLast(`m.attempts || jsonb_build_array(jsonb_build_object('at', now(), 'provider', m.provider, 'kind', 'receipt',
             'result', case when one.delivered then 'delivered' else 'undelivered' end, 'code', one.code))`)}
         from one where m.id = one.msg_id and m.status = 'sent' returning m.*)
       select ${COLS} from u m`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.provider),
        rows.map((r) => r.to),
        rows.map((r) => r.providerMessageId),
        rows.map((r) => r.outId),
      ],
    );
  }
}

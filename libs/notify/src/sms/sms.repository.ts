import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ATTEMPTS_KEPT, SmsAttempt, SmsPurpose, SmsStatus } from './sms.types';

export interface SmsRow {
  id: string;
  to: string;
  template: string;
  params: Record<string, string>;
  purpose: SmsPurpose;
  refType: string | null;
  refId: string | null;
  status: SmsStatus;
  attempt: number;
  provider: string | null;
  outId: string | null;
  sendingAt: Date | null;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: SmsAttempt[];
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
}

export const COLS = `m.id, m.to_phone as "to", m.template, m.params, m.purpose, m.ref_type as "refType", m.ref_id as "refId",
  m.status, m.attempt, m.provider, m.out_id as "outId", m.sending_at as "sendingAt",
  m.provider_message_id as "providerMessageId", m.error_code as "errorCode", m.error_message as "errorMessage", m.attempts,
  m.created_at as "createdAt", m.sent_at as "sentAt", m.delivered_at as "deliveredAt"`;

const BEIJING_DAY = `(($1::timestamptz) at time zone 'Asia/Shanghai')::date`;

export interface EnqueueRow {
  to: string;
  template: string;
  params: Record<string, string>;
  purpose: SmsPurpose;
  refType?: string | null;
  refId?: string | null;
  idempotencyKey: string;
}

/** Named queries over sms_messages, sms_daily_counts and sms_replies. */
@Injectable()
export class SmsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async findByKey(m: EntityManager, key: string): Promise<string | null> {
    const [row]: Array<{ id: string }> = await m.query('select id from sms_messages where idempotency_key = $1', [key]);
    return row?.id ?? null;
  }

  /** One more message for (phone, Beijing day) if under the cap; false = capped. Row-locked, so exact. */
  async takeDailySlot(m: EntityManager, phone: string, now: Date, cap: number): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `insert into sms_daily_counts (phone, day, count) values ($2, ${BEIJING_DAY}, 1)
       on conflict (phone, day) do update set count = sms_daily_counts.count + 1 where sms_daily_counts.count < $3
       returning count`,
      [now, phone, cap],
    );
    return rows.length > 0;
  }

  async giveBackDailySlot(m: EntityManager, phone: string, now: Date): Promise<void> {
    await m.query(`update sms_daily_counts set count = greatest(count - 1, 0) where phone = $2 and day = ${BEIJING_DAY}`, [now, phone]);
  }

  async usedToday(phone: string, now: Date): Promise<number> {
    const [row]: Array<{ count: number }> = await this.ds.query(
      `select count from sms_daily_counts where phone = $2 and day = ${BEIJING_DAY}`,
      [now, phone],
    );
    return row?.count ?? 0;
  }

  async insert(m: EntityManager, r: EnqueueRow): Promise<string | null> {
    const [row]: Array<{ id: string }> = await m.query(
      `insert into sms_messages (idempotency_key, to_phone, template, params, purpose, ref_type, ref_id)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict (idempotency_key) do nothing returning id`,
      [r.idempotencyKey, r.to, r.template, JSON.stringify(r.params), r.purpose, r.refType ?? null, r.refId ?? null],
    );
    return row?.id ?? null;
  }

  /**
   * Many messages in one statement (unnest). Keys already present are `duplicate`; numbers over
   * the day's cap are `capped` (counted against the counts committed before this statement, so
   * under concurrent bulk enqueues of the same number the cap can be overshot by that margin).
   */
  async insertMany(
    m: EntityManager,
    rows: EnqueueRow[],
    now: Date,
    cap: number,
  ): Promise<Array<{ key: string; id: string | null; status: 'queued' | 'duplicate' | 'capped' }>> {
    return m.query(
      `with input as (
         select * from unnest($2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::text[])
           with ordinality as t(to_phone, template, params, purpose, ref_type, ref_id, key, ord)),
       fresh as (select i.* from input i where not exists (select 1 from sms_messages s where s.idempotency_key = i.key)),
       numbered as (select f.*, row_number() over (partition by f.to_phone order by f.ord) as n from fresh f),
       allowed as (
         select n.* from numbered n
         left join sms_daily_counts c on c.phone = n.to_phone and c.day = ${BEIJING_DAY}
         where coalesce(c.count, 0) + n.n <= $9),
       ins as (
         insert into sms_messages (idempotency_key, to_phone, template, params, purpose, ref_type, ref_id)
         select key, to_phone, template, params, purpose, ref_type, ref_id from allowed order by ord
         on conflict (idempotency_key) do nothing
         returning id, idempotency_key, to_phone),
       counted as (
         insert into sms_daily_counts (phone, day, count)
         select to_phone, ${BEIJING_DAY}, count(*)::int from ins group by to_phone
         on conflict (phone, day) do update set count = sms_daily_counts.count + excluded.count)
       -- joins, not a correlated NOT EXISTS over the CTE (that would compare every row with every row)
       select i.key, ins.id,
         case when ins.id is not null then 'queued'
              when f.key is null then 'duplicate'
              else 'capped' end as status
       from input i left join ins on ins.idempotency_key = i.key left join (select distinct key from fresh) f on f.key = i.key
       order by i.ord`,
      [
        now,
        rows.map((r) => r.to),
        rows.map((r) => r.template),
        rows.map((r) => JSON.stringify(r.params)),
        rows.map((r) => r.purpose),
        rows.map((r) => r.refType ?? null),
        rows.map((r) => r.refId ?? null),
        rows.map((r) => r.idempotencyKey),
        cap,
      ],
    );
  }

  /**
   * The fresh lane's claim, committed at once: due `queued` rows (first sends and backed-off
   * retries) become `sending` with this pass's claim token and a lease. Wake-up orders and
   * drills before public warnings, then by due time. SKIP LOCKED keeps two senders apart.
   */
  async claimFresh(token: string, limit: number, leaseSeconds: number): Promise<SmsRow[]> {
    return this.ds.query(
      `with c as (
         select id from sms_messages where status = 'queued' and due_at <= now()
         order by (purpose = 'public'), due_at, created_at limit $2 for update skip locked),
       u as (
         update sms_messages m set status = 'sending', claim_token = $1, lease_until = now() + make_interval(secs => $3),
           out_id = null, updated_at = now()
         from c where m.id = c.id returning m.*)
       select ${COLS} from u m`,
      [token, limit, leaseSeconds],
    );
  }

  /**
   * The recovery lane's claim: rows left `sending` whose lease ran out (a dead sender, or an
   * unknown outcome handed over by the fresh lane). Their outcome is unknown until the
   * provider is asked.
   */
  async claimOrphans(token: string, limit: number, leaseSeconds: number): Promise<SmsRow[]> {
    return this.ds.query(
      `with c as (
         select id from sms_messages where status = 'sending' and lease_until < now()
         order by lease_until limit $2 for update skip locked),
       u as (
         update sms_messages m set claim_token = $1, lease_until = now() + make_interval(secs => $3), updated_at = now()
         from c where m.id = c.id returning m.*)
       select ${COLS} from u m`,
      [token, limit, leaseSeconds],
    );
  }

  /** Keeps this claim's rows while the pass still works on them (a lease that ran out is not revived). */
  async extendLease(token: string, leaseSeconds: number): Promise<void> {
    await this.ds.query(
      `update sms_messages set lease_until = now() + make_interval(secs => $2)
       where claim_token = $1 and status = 'sending' and lease_until > now()`,
      [token, leaseSeconds],
    );
  }

  /**
   * Hands rows whose outcome is unknown to the recovery lane: they stay `sending`, their lease
   * ends now, and the reason is kept. The fresh lane does not wait for the look-up.
   */
  async handOver(token: string, ids: string[], code: string, message: string): Promise<void> {
    if (!ids.length) return;
    await this.ds.query(
      `update sms_messages set lease_until = now(), error_code = $3, error_message = left($4, 500), updated_at = now()
       where id = any($2::uuid[]) and claim_token = $1 and status = 'sending'`,
      [token, ids, code, message],
    );
  }

  /**
   * Marks one provider request, COMMITTED before it leaves: attempt + 1, provider, attempt key.
   * Only rows still held by this claim (token, lease not expired) are marked and may be sent.
   */
  async markAttempt(
    token: string,
    ids: string[],
    provider: string,
    outId: string,
    leaseSeconds: number,
  ): Promise<Array<{ id: string; attempt: number }>> {
    return this.ds.query(
      `with u as (
         update sms_messages set attempt = attempt + 1, provider = $3, out_id = $4, sending_at = now(),
           provider_message_id = null, lease_until = now() + make_interval(secs => $5), updated_at = now()
         where id = any($2::uuid[]) and claim_token = $1 and status = 'sending' and lease_until > now()
         returning id, attempt)
       select * from u`,
      [token, ids, provider, outId, leaseSeconds],
    );
  }

  /** sending → sent for rows this claim still holds; returns the rows that changed. */
  async markSent(m: EntityManager, token: string, sent: Array<{ id: string; providerMessageId: string | null }>): Promise<SmsRow[]> {
    if (!sent.length) return [];
    return m.query(
      `with x as (select * from unnest($2::uuid[], $3::text[]) as t(id, pmid)),
       u as (
         update sms_messages m set status = 'sent', provider_message_id = coalesce(x.pmid, m.provider_message_id), sent_at = now(),
           claim_token = null, lease_until = null, error_code = null, error_message = null, updated_at = now()
         from x where m.id = x.id and m.claim_token = $1 and m.status = 'sending' returning m.*)
       select ${COLS} from u m`,
      [token, sent.map((s) => s.id), sent.map((s) => s.providerMessageId)],
    );
  }

  /** sending → failed (gave up) or capped (a provider's per-number limit) for rows this claim holds. */
  async markFailed(
    m: EntityManager,
    token: string,
    id: string,
    code: string,
    message: string,
    status: 'failed' | 'capped' = 'failed',
  ): Promise<SmsRow | null> {
    const [row]: SmsRow[] = await m.query(
      `with u as (
         update sms_messages set status = $5, claim_token = null, lease_until = null, error_code = $3,
           error_message = left($4, 500), updated_at = now()
         where id = $2 and claim_token = $1 and status = 'sending' returning *)
       select ${COLS} from u m`,
      [token, id, code, message, status],
    );
    return row ?? null;
  }

  /** sending → queued again after backoff (no event: nothing the caller must act on yet). */
  async requeue(token: string, id: string, delayMs: number, code: string, message: string): Promise<void> {
    await this.ds.query(
      `update sms_messages set status = 'queued', claim_token = null, lease_until = null, out_id = null,
         due_at = now() + make_interval(secs => $3::double precision / 1000), error_code = $4, error_message = left($5, 500), updated_at = now()
       where id = $2 and claim_token = $1 and status = 'sending'`,
      [token, id, delayMs, code, message],
    );
  }

  /** Lets go of a row whose outcome is still unknown: it stays `sending`; the next claim after the lease asks again. */
  async release(token: string, id: string, retryInSeconds: number, code: string): Promise<void> {
    await this.ds.query(
      `update sms_messages set lease_until = now() + make_interval(secs => $3), error_code = $4, updated_at = now()
       where id = $2 and claim_token = $1 and status = 'sending'`,
      [token, id, retryInSeconds, code],
    );
  }

  /** Appends history entries (several per message possible), keeping each message's last ATTEMPTS_KEPT. */
  async recordAttempts(entries: Array<{ id: string; attempt: SmsAttempt }>): Promise<void> {
    if (!entries.length) return;
    await this.ds.query(
      `with x as (
         select id, jsonb_agg(e order by ord) as add
         from unnest($1::uuid[], $2::jsonb[]) with ordinality as t(id, e, ord) group by id)
       update sms_messages m set attempts = ${keepLast('m.attempts || x.add')}
       from x where m.id = x.id`,
      [entries.map((e) => e.id), entries.map((e) => JSON.stringify(e.attempt))],
    );
  }

  /**
   * Per provider, from the history of messages created in the last `hours`: requests and
   * look-ups by result and code, and failovers (a send not accepted, followed by another
   * provider's send for the same message).
   */
  async attemptStats(
    hours: number,
  ): Promise<Array<{ provider: string; kind: string; result: string; code: string | null; count: number; failovers: number }>> {
    return this.ds.query(
      `with e as (
         select t.e->>'provider' as provider, t.e->>'kind' as kind, t.e->>'result' as result, t.e->>'code' as code,
           lead(t.e->>'provider') over (partition by m.id, t.e->>'kind' order by t.i) as next_provider
         from sms_messages m cross join lateral jsonb_array_elements(m.attempts) with ordinality as t(e, i)
         where m.created_at > now() - make_interval(hours => $1))
       select provider, kind, result, code, count(*)::int as count,
         count(*) filter (where kind = 'send' and result <> 'accepted' and next_provider is distinct from provider and next_provider is not null)::int as failovers
       from e group by provider, kind, result, code order by provider, kind, result, code`,
      [hours],
    );
  }

  /** Stores a reply once per (provider, dedup key); null when it was already stored. */
  async insertReply(
    m: EntityManager,
    provider: string,
    r: { dedupKey: string; from: string; text: string; destCode?: string; receivedAt: Date },
  ): Promise<{ id: string; messageId: string | null } | null> {
    const [row]: Array<{ id: string; messageId: string | null }> = await m.query(
      `insert into sms_replies (provider, dedup_key, from_phone, text, dest_code, received_at, message_id)
       values ($1, $2, $3::varchar, left($4, 2000), $5, $6,
         (select id from sms_messages where to_phone = $3::varchar and status in ('sent', 'delivered', 'sending') order by created_at desc limit 1))
       on conflict (provider, dedup_key) do nothing returning id::text, message_id as "messageId"`,
      [provider, r.dedupKey, r.from, r.text, r.destCode ?? null, r.receivedAt],
    );
    return row ?? null;
  }

  async list(q: { refType?: string; refId?: string; status?: string; limit: number }): Promise<SmsRow[]> {
    return this.ds.query(
      `select ${COLS} from sms_messages m
       where ($1::text is null or m.ref_type = $1) and ($2::text is null or m.ref_id = $2) and ($3::text is null or m.status = $3)
       order by m.created_at desc, m.id limit $4`,
      [q.refType ?? null, q.refId ?? null, q.status ?? null, q.limit],
    );
  }

  /** Messages per status of one reference (a campaign), in one pass over the (ref_type, ref_id) index. */
  async countsByRef(refType: string, refIds: string[]): Promise<Array<{ refId: string; status: SmsStatus; count: number }>> {
    if (!refIds.length) return [];
    return this.ds.query(
      `select ref_id as "refId", status, count(*)::int as count from sms_messages
       where ref_type = $1 and ref_id = any($2::text[]) group by ref_id, status`,
      [refType, refIds],
    );
  }

  async stats(): Promise<Array<{ provider: string | null; status: SmsStatus; count: number }>> {
    return this.ds.query(
      `select provider, status, count(*)::int as count from sms_messages group by provider, status order by provider nulls first, status`,
    );
  }
}

/** SQL: the last ATTEMPTS_KEPT elements of a jsonb array expression. */
export function keepLast(arr: string): string {
  return `(select coalesce(jsonb_agg(e order by i), '[]'::jsonb) from jsonb_array_elements(${arr}) with ordinality as k(e, i)
    where i > jsonb_array_length(${arr}) - ${ATTEMPTS_KEPT})`;
}

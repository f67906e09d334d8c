import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NOT_REOPENED, TOWN_OF_CALL } from '../calls/call.repository';

export interface TallyRow {
  campaignId: string;
  /** Town code; null on the campaign's total row. City-level people count under the city code. */
  townCode: string | null;
  recipients: number;
  delivered: number;
  acknowledged: number;
  done: number;
  late: number;
  escalated: number;
  unreached: number;
  /** Closed because the person is no longer on the warning's ground (an Update narrowed it). */
  stoodDown: number;
  /** Closed unanswered because the warning was cancelled, lifted or expired (or superseded by an upgrade). */
  cancelled: number;
  smsCapped: number;
  /** Seconds from the campaign's start until 50/90/100 % of the recipients had said "received" (null: not yet). */
  secondsTo50: number | null;
  secondsTo90: number | null;
  secondsTo100: number | null;
}

/** The counters kept by the wakeup_board_tallies triggers, per campaign and town. */
export type CountedRow = Omit<TallyRow, 'unreached' | 'secondsTo50' | 'secondsTo90' | 'secondsTo100'> & { townCode: string };

const COUNTERS = 'recipients, delivered, acknowledged, done, late, escalated, sms_capped, stood_down, cancelled';

/** Shares of the recipients the board times ("seconds to 50/90/100 % answered"). */
export const SHARES = [0.5, 0.9, 1] as const;

/** The n-th answer (1-based) a share of the recipients needs; 0 when there is nobody. */
export const neededFor = (recipients: number, share: number): number => Math.ceil(recipients * share);

export interface SilentRow {
  callId: string;
  holderId: string | null;
  holderName: string;
  holderRole: string;
  divisionCode: string;
  mobile: string;
  deadlineAt: Date;
  escalatedAt: Date | null;
  smsStatus: string | null;
  smsCapped: boolean;
  pushDeliveredAt: Date | null;
  escalatedTo: Array<{ kind: string; name: string | null; callId: string | null; answered: boolean }>;
}

/**
 * The command board's figures. Counters per campaign and town are kept by triggers on the calls
 * (migration WakeupBoardTallies); what depends on the clock or on order is read from partial
 * indexes over the silent or the answered calls only. Below town level (a village's board) the
 * figures are counted from that village's calls.
 */
@Injectable()
export class BoardRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The kept counters of these campaigns, per town (optionally one town): folded tallies plus deltas not yet folded. */
  async counted(campaignIds: string[], townCode: string | null): Promise<CountedRow[]> {
    if (!campaignIds.length) return [];
    const part = (table: string) =>
      `select campaign_id, town_code, ${COUNTERS} from ${table} where campaign_id = any($1::uuid[]) and ($2::text is null or town_code = $2)`;
    return this.ds.query(
      `select campaign_id as "campaignId", town_code as "townCode", sum(recipients)::int as recipients, sum(delivered)::int as delivered,
              sum(acknowledged)::int as acknowledged, sum(done)::int as done, sum(late)::int as late, sum(escalated)::int as escalated,
              sum(sms_capped)::int as "smsCapped", sum(stood_down)::int as "stoodDown", sum(cancelled)::int as cancelled
       from (${part('wakeup_board_tallies')} union all ${part('wakeup_board_deltas')}) x
       group by 1, 2 having sum(recipients) > 0 order by 1, 2`,
      [campaignIds, townCode],
    );
  }

  /**
   * Folds the appended deltas into the tallies (the publisher does it each round, under its
   * lock, so tallies rows have one writer). Deltas committed meanwhile stay for the next fold.
   */
  async fold(m: EntityManager): Promise<void> {
    await m.query(
      `with gone as (delete from wakeup_board_deltas returning campaign_id, town_code, ${COUNTERS})
       insert into wakeup_board_tallies as t (campaign_id, town_code, ${COUNTERS})
       select campaign_id, town_code, ${COUNTERS.split(', ')
         .map((c) => `sum(${c})`)
         .join(', ')} from gone
       where exists (select 1 from wakeup_campaigns c where c.id = gone.campaign_id) -- a deleted campaign's deltas just go
       group by 1, 2 order by 1, 2
       on conflict (campaign_id, town_code) do update set ${COUNTERS.split(', ')
         .map((c) => `${c} = t.${c} + excluded.${c}`)
         .join(', ')}`,
    );
  }

  /** Calls still silent at or past their deadline and still standing (not stood down or cancelled), per campaign and town (`<campaignId>:<town>`). */
  async unreached(campaignIds: string[], townCode: string | null, now: Date): Promise<Map<string, number>> {
    if (!campaignIds.length) return new Map();
    const rows: Array<{ campaignId: string; townCode: string; n: number }> = await this.ds.query(
      `select k.campaign_id as "campaignId", ${TOWN_OF_CALL} as "townCode", count(*)::int as n
       from wakeup_calls k
       where k.campaign_id = any($1::uuid[]) and k.received_at is null and k.closed_state is null and k.deadline_at <= $3
         and ($2::text is null or ${TOWN_OF_CALL} = $2)
       group by 1, 2`,
      [campaignIds, townCode, now],
    );
    return new Map(rows.map((r) => [`${r.campaignId}:${r.townCode}`, r.n]));
  }

  /** Seconds from the campaign's start to its n-th "received" (in the town, or overall), read in index order. */
  async nthAnswerSeconds(campaignId: string, townCode: string | null, n: number): Promise<number | null> {
    const rows: Array<{ s: number }> = await this.ds.query(
      `select round(extract(epoch from k.received_at - c.created_at)::numeric, 1)::float8 as s
       from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id
       where k.campaign_id = $1 and k.received_at is not null and ${NOT_REOPENED} ${townCode === null ? '' : `and ${TOWN_OF_CALL} = $3`}
       order by k.received_at offset $2 limit 1`,
      townCode === null ? [campaignId, n - 1] : [campaignId, n - 1, townCode],
    );
    return rows.length ? rows[0].s : null;
  }

  /** Every figure counted from the calls inside `withinPath` (a village's board: finer than the kept counters). */
  async fromCalls(campaignIds: string[], withinPath: string, now: Date): Promise<TallyRow[]> {
    if (!campaignIds.length) return [];
    const rows: Array<Omit<TallyRow, 'secondsTo50' | 'secondsTo90' | 'secondsTo100'> & { answerSeconds: number[] }> = await this.ds.query(
      `select k.campaign_id as "campaignId", ${TOWN_OF_CALL} as "townCode",
              count(*)::int as recipients,
              count(*) filter (where k.push_delivered_at is not null or k.sms_status = 'delivered' or k.received_at is not null)::int as delivered,
              count(*) filter (where k.received_at is not null)::int as acknowledged,
              count(*) filter (where k.done_at is not null)::int as done,
              count(*) filter (where k.late)::int as late,
              count(*) filter (where k.escalated_at is not null)::int as escalated,
              count(*) filter (where k.received_at is null and k.closed_state is null and k.deadline_at <= $3)::int as unreached,
              count(*) filter (where k.closed_state = 'stood_down')::int as "stoodDown",
              count(*) filter (where k.closed_state in ('cancelled', 'superseded') and k.received_at is null)::int as cancelled,
              count(*) filter (where k.sms_capped)::int as "smsCapped",
              coalesce(array_agg(round(extract(epoch from k.received_at - c.created_at)::numeric, 1)::float8 order by k.received_at)
                filter (where k.received_at is not null), '{}') as "answerSeconds"
       from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id
       where k.campaign_id = any($1::uuid[]) and ${NOT_REOPENED} and ($2::ltree is null or k.division_path <@ $2::ltree)
       group by grouping sets ((k.campaign_id, ${TOWN_OF_CALL}), (k.campaign_id))
       order by 1, 2 nulls first`,
      [campaignIds, withinPath, now],
    );
    return rows.map(({ answerSeconds, ...t }) => {
      const [secondsTo50, secondsTo90, secondsTo100] = SHARES.map((share) => {
        const needed = neededFor(t.recipients, share);
        return needed === 0 || answerSeconds.length < needed ? null : answerSeconds[needed - 1];
      });
      return { ...t, secondsTo50, secondsTo90, secondsTo100 };
    });
  }

  /** People who have not said "received" and whose call still stands, with whom their silence was escalated to. */
  async silent(campaignId: string, withinPath: string | null): Promise<SilentRow[]> {
    return this.ds.query(
      `select k.id as "callId", k.holder_id as "holderId", k.holder_name as "holderName", k.holder_role as "holderRole",
              k.division_code as "divisionCode", k.mobile, k.deadline_at as "deadlineAt", k.escalated_at as "escalatedAt",
              k.sms_status as "smsStatus", k.sms_capped as "smsCapped", k.push_delivered_at as "pushDeliveredAt",
              coalesce((select json_agg(json_build_object('kind', e.kind, 'name', e.to_name, 'callId', e.to_call_id,
                                                          'answered', t.received_at is not null) order by e.id)
                        from wakeup_escalations e left join wakeup_calls t on t.id = e.to_call_id
                        where e.from_call_id = k.id), '[]') as "escalatedTo"
       from wakeup_calls k
       where k.campaign_id = $1 and k.received_at is null and k.closed_state is null and ($2::ltree is null or k.division_path <@ $2::ltree)
       order by k.deadline_at, k.division_path, k.holder_name`,
      [campaignId, withinPath],
    );
  }

  /** One publisher per round across workers: a transaction-scoped advisory lock, not waited for. */
  async tryPublishLock(m: EntityManager): Promise<boolean> {
    const [{ got }]: Array<{ got: boolean }> = await m.query(`select pg_try_advisory_xact_lock(hashtext('fangxun.wakeup.board')) as got`);
    return got;
  }

  async activeCampaignIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(`select id from wakeup_campaigns where state = 'active' order by created_at`);
    return rows.map((r) => r.id);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TOWN_OF_CALL } from '../calls/call.repository';

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
  /** Seconds from the campaign's start to each "received", fastest first. */
  answerSeconds: number[];
}

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

/** The command board's figures, computed from the calls themselves (never kept as counters). */
@Injectable()
export class BoardRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async tallies(campaignIds: string[], withinPath: string | null, now: Date, m?: EntityManager): Promise<TallyRow[]> {
    if (!campaignIds.length) return [];
    return (m ?? this.ds).query(
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
       where k.campaign_id = any($1::uuid[]) and ($2::ltree is null or k.division_path <@ $2::ltree)
       group by grouping sets ((k.campaign_id, ${TOWN_OF_CALL}), (k.campaign_id))
       order by 1, 2 nulls first`,
      [campaignIds, withinPath, now],
    );
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

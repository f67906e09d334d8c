import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { WakeupLevel } from '@fangxun/config';

export interface ReportItem {
  key: string;
  label: string;
}

export interface OrderRow {
  id: string;
  incidentId: string;
  issuerKind: 'hq' | 'group';
  issuerName: string;
  issuerGroupId: string | null;
  title: string;
  body: string;
  reportItems: ReportItem[];
  level: WakeupLevel;
  deadlineAt: Date;
  drill: boolean;
  campaignId: string | null;
  state: 'open' | 'completed';
  createdBy: string;
  createdAt: Date;
  completedAt: Date | null;
}

export type TargetKind = 'town' | 'group' | 'person';

export interface TargetRow {
  id: string;
  orderId: string;
  kind: TargetKind;
  ref: string;
  label: string;
  townCode: string;
  scopePath: string;
  state: 'sent' | 'signed' | 'completed';
  signedAt: Date | null;
  signedVia: string | null;
  signedBy: string | null;
  escalatedAt: Date | null;
  overdueAt: Date | null;
  completedAt: Date | null;
  completedVia: string | null;
  completedBy: string | null;
  report: string | null;
  counts: Record<string, number> | null;
  late: boolean;
  people: number;
  peopleSigned: number;
}

export interface NewTarget {
  kind: TargetKind;
  ref: string;
  label: string;
  townCode: string;
  scopePath: string;
  people: Array<{ holderId: string; name: string; divisionCode: string }>;
}

/** A keyset page: newest first when `desc`, after the (created_at, id) of the previous page's last row. */
export interface ListPage {
  desc: boolean;
  after?: [string, string];
  limit: number;
}

export interface BoardRow {
  townCode: string;
  targets: number;
  signed: number;
  completed: number;
  overdue: number;
  escalated: number;
  people: number;
  peopleSigned: number;
}

export interface Completion {
  at: Date;
  via: 'http' | 'socket' | 'ack';
  by: string;
  report: string;
  counts: Record<string, number> | null;
}

const ORDER_COLUMNS = `o.id, o.incident_id as "incidentId", o.issuer_kind as "issuerKind", o.issuer_name as "issuerName",
  o.issuer_group_id as "issuerGroupId", o.title, o.body, o.report_items as "reportItems", o.level, o.deadline_at as "deadlineAt",
  o.drill, o.campaign_id as "campaignId", o.state, o.created_by as "createdBy", o.created_at as "createdAt", o.completed_at as "completedAt"`;

/** A target row with its people counted (the recipients table, by target). */
const TARGET_SELECT = `select t.id, t.order_id as "orderId", t.kind, t.ref, t.label, t.town_code as "townCode", t.scope_path::text as "scopePath",
  t.state, t.signed_at as "signedAt", t.signed_via as "signedVia", t.signed_by as "signedBy", t.escalated_at as "escalatedAt",
  t.overdue_at as "overdueAt", t.completed_at as "completedAt", t.completed_via as "completedVia", t.completed_by as "completedBy",
  t.report, t.counts, t.late,
  (select count(*)::int from response_order_recipients r where r.target_id = t.id) as people,
  (select count(*)::int from response_order_recipients r where r.target_id = t.id and r.received_at is not null) as "peopleSigned"
  from response_order_targets t`;

/** Orders, their targets and the people called for each target (raw SQL; tables owned by libs/response). */
@Injectable()
export class OrderRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The new order's id, or null when its request key was used before (the first order wins). */
  async insert(
    m: EntityManager,
    o: Omit<OrderRow, 'id' | 'campaignId' | 'state' | 'completedAt'> & { requestKey: string | null },
  ): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(
      `insert into response_orders (incident_id, issuer_kind, issuer_name, issuer_group_id, title, body, report_items, level,
         deadline_at, drill, request_key, created_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       on conflict (request_key) do nothing returning id`,
      [
        o.incidentId,
        o.issuerKind,
        o.issuerName,
        o.issuerGroupId,
        o.title,
        o.body,
        JSON.stringify(o.reportItems),
        o.level,
        o.deadlineAt,
        o.drill,
        o.requestKey,
        o.createdBy,
        o.createdAt,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async findIdByRequestKey(key: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.ds.query('select id from response_orders where request_key = $1', [key]);
    return rows[0]?.id ?? null;
  }

  async insertTargets(m: EntityManager, orderId: string, targets: NewTarget[]): Promise<void> {
    for (const t of targets) {
      const [row]: Array<{ id: string }> = await m.query(
        `insert into response_order_targets (order_id, kind, ref, label, town_code, scope_path)
         values ($1, $2, $3, $4, $5, $6::ltree) returning id`,
        [orderId, t.kind, t.ref, t.label, t.townCode, t.scopePath],
      );
      if (!t.people.length) continue;
      await m.query(
        `insert into response_order_recipients (target_id, holder_id, order_id, name, division_code)
         select $1, p.holder_id, $2, p.name, p.division_code
         from unnest($3::uuid[], $4::text[], $5::text[]) as p(holder_id, name, division_code)
         on conflict do nothing`,
        [row.id, orderId, t.people.map((p) => p.holderId), t.people.map((p) => p.name), t.people.map((p) => p.divisionCode)],
      );
    }
  }

  async get(id: string, m?: EntityManager): Promise<OrderRow | undefined> {
    const rows: OrderRow[] = await (m ?? this.ds).query(`select ${ORDER_COLUMNS} from response_orders o where o.id = $1`, [id]);
    return rows[0];
  }

  /** Orders with a target at or below `scopePath` (the whole city for city-wide roles), newest first: the same targets `targetsOf` shows. */
  async list(q: ListPage & { incidentId?: string; state?: string }, scopePath: string): Promise<OrderRow[]> {
    const [cmp, dir] = q.desc ? ['<', 'desc'] : ['>', 'asc'];
    return this.ds.query(
      `select ${ORDER_COLUMNS} from response_orders o
       where ($1::uuid is null or o.incident_id = $1) and ($2::text is null or o.state = $2)
         and exists (select 1 from response_order_targets t where t.order_id = o.id and t.scope_path <@ $3::ltree)
         and ($5::timestamptz is null or (o.created_at, o.id) ${cmp} ($5::timestamptz, $6::uuid))
       order by o.created_at ${dir}, o.id ${dir} limit $4`,
      [q.incidentId ?? null, q.state ?? null, scopePath, q.limit, q.after?.[0] ?? null, q.after?.[1] ?? null],
    );
  }

  /** Targets of an order; with `scopePath`, only those at or below it (a town admin's part). */
  async targetsOf(orderId: string, scopePath?: string, m?: EntityManager): Promise<TargetRow[]> {
    return (m ?? this.ds).query(
      `${TARGET_SELECT} where t.order_id = $1 and ($2::ltree is null or t.scope_path <@ $2::ltree) order by t.town_code, t.kind, t.label`,
      [orderId, scopePath ?? null],
    );
  }

  async targetsByIds(m: EntityManager, ids: string[]): Promise<TargetRow[]> {
    if (!ids.length) return [];
    return m.query(`${TARGET_SELECT} where t.id = any($1::uuid[]) order by t.id`, [ids]);
  }

  /** Who is called for the order: each person once, with the labels of every target he answers for. */
  async peopleOf(orderId: string, m?: EntityManager): Promise<Array<{ holderId: string; labels: string[] }>> {
    return (m ?? this.ds).query(
      `select r.holder_id as "holderId", array_agg(t.label order by t.label) as labels
       from response_order_recipients r join response_order_targets t on t.id = r.target_id
       where r.order_id = $1 group by r.holder_id order by r.holder_id`,
      [orderId],
    );
  }

  async setCampaign(m: EntityManager, orderId: string, campaignId: string): Promise<void> {
    await m.query('update response_orders set campaign_id = $2 where id = $1 and campaign_id is null', [orderId, campaignId]);
  }

  /** Orders whose delivery did not finish (a crash between the order and its campaign). */
  async undelivered(before: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `select id from response_orders where campaign_id is null and state = 'open' and created_at <= $1 order by created_at limit $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  // Every UPDATE … RETURNING is wrapped in a CTE and SELECTed: TypeORM returns [rows, count] for a bare UPDATE.

  /** A person's answer signs his targets of the order (the first answer per target counts); returns the targets newly signed. */
  async sign(m: EntityManager, orderId: string, holderId: string, at: Date, via: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `with r as (
         update response_order_recipients set received_at = $3, received_via = $4
         where order_id = $1 and holder_id = $2 and received_at is null returning target_id, name)
       , t as (
         update response_order_targets t set state = 'signed', signed_at = $3, signed_via = $4, signed_by = r.name
         from r where t.id = r.target_id and t.state = 'sent' returning t.id)
       select id from t`,
      [orderId, holderId, at, via],
    );
    return rows.map((r) => r.id);
  }

  /** The person's call went unanswered to its deadline and up the 包保 chain: his targets show it. */
  async escalated(m: EntityManager, orderId: string, holderId: string, at: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `with r as (
         update response_order_recipients set escalated_at = coalesce(escalated_at, $3)
         where order_id = $1 and holder_id = $2 returning target_id)
       , t as (
         update response_order_targets t set escalated_at = $3
         from r where t.id = r.target_id and t.escalated_at is null and t.state = 'sent' returning t.id)
       select id from t`,
      [orderId, holderId, at],
    );
    return rows.map((r) => r.id);
  }

  /** The order's target for a town, locked (a feedback sheet answers for it). */
  async lockTownTarget(m: EntityManager, orderId: string, townCode: string): Promise<string | undefined> {
    const rows: Array<{ id: string }> = await m.query(
      `select id from response_order_targets where order_id = $1 and kind = 'town' and ref = $2 for update`,
      [orderId, townCode],
    );
    return rows[0]?.id;
  }

  /** The targets of the order this person is called for (locked, in id order). */
  async lockTargetsOfPerson(m: EntityManager, orderId: string, holderId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `select t.id from response_order_targets t join response_order_recipients r on r.target_id = t.id
       where t.order_id = $1 and r.holder_id = $2 order by t.id for update of t`,
      [orderId, holderId],
    );
    return rows.map((r) => r.id);
  }

  async lockTarget(m: EntityManager, orderId: string, targetId: string): Promise<TargetRow | undefined> {
    await m.query('select id from response_order_targets where id = $1 and order_id = $2 for update', [targetId, orderId]);
    const rows: TargetRow[] = await m.query(`${TARGET_SELECT} where t.id = $1 and t.order_id = $2`, [targetId, orderId]);
    return rows[0];
  }

  /** 反馈: the targets not yet completed are completed (completion implies receipt); returns those changed. */
  async complete(m: EntityManager, ids: string[], deadlineAt: Date, c: Completion): Promise<string[]> {
    if (!ids.length) return [];
    const rows: Array<{ id: string }> = await m.query(
      `with u as (
         update response_order_targets set state = 'completed', completed_at = $2, completed_via = $3, completed_by = $4,
           report = $5, counts = $6, late = $2 > $7::timestamptz,
           signed_at = coalesce(signed_at, $2), signed_via = coalesce(signed_via, $3), signed_by = coalesce(signed_by, $4)
         where id = any($1::uuid[]) and state <> 'completed' returning id)
       select id from u`,
      [ids, c.at, c.via, c.by.slice(0, 100), c.report, c.counts ? JSON.stringify(c.counts) : null, deadlineAt],
    );
    return rows.map((r) => r.id);
  }

  /** The order is completed when its last target is; true when this call completed it. */
  async completeOrderIfDone(m: EntityManager, orderId: string, at: Date): Promise<boolean> {
    const rows = await m.query(
      `with u as (
         update response_orders o set state = 'completed', completed_at = $2
         where o.id = $1 and o.state = 'open'
           and not exists (select 1 from response_order_targets t where t.order_id = o.id and t.state <> 'completed')
         returning o.id)
       select id from u`,
      [orderId, at],
    );
    return rows.length > 0;
  }

  /** Targets past their order's deadline without feedback, claimed (SKIP LOCKED) and marked overdue once. */
  async markOverdue(m: EntityManager, now: Date, limit: number): Promise<Array<{ id: string; orderId: string }>> {
    return m.query(
      `with due as (
         select t.id from response_order_targets t join response_orders o on o.id = t.order_id
         where t.state <> 'completed' and t.overdue_at is null and o.deadline_at <= $1
         order by o.deadline_at, t.id limit $2 for update of t skip locked)
       , u as (update response_order_targets t set overdue_at = $1 from due where t.id = due.id returning t.id, t.order_id)
       select id, order_id as "orderId" from u`,
      [now, limit],
    );
  }

  /** Per town: targets and their states, people called and signed. */
  async board(orderId: string, scopePath?: string, m?: EntityManager): Promise<BoardRow[]> {
    return (m ?? this.ds).query(
      `select t.town_code as "townCode", count(*)::int as targets,
         count(*) filter (where t.state <> 'sent')::int as signed,
         count(*) filter (where t.state = 'completed')::int as completed,
         count(*) filter (where t.overdue_at is not null)::int as overdue,
         count(*) filter (where t.escalated_at is not null)::int as escalated,
         coalesce(sum(p.people), 0)::int as people, coalesce(sum(p.signed), 0)::int as "peopleSigned"
       from response_order_targets t
       left join lateral (select count(*) as people, count(*) filter (where r.received_at is not null) as signed
                          from response_order_recipients r where r.target_id = t.id) p on true
       where t.order_id = $1 and ($2::ltree is null or t.scope_path <@ $2::ltree)
       group by t.town_code order by t.town_code`,
      [orderId, scopePath ?? null],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { OrderRow, RaiseOrderInput, TaskRow, TaskWrite } from './transfer-order.types';

const ORDER = `o.id, o.level, o.state, o.source, o.source_key as "sourceKey", o.incident_id as "incidentId",
  o.risk_object_ids::text[] as "riskObjectIds", o.division_codes::text[] as "divisionCodes", o.title, o.reason, o.drill,
  o.campaign_id as "campaignId", o.created_by as "createdBy", o.created_at as "createdAt", o.closed_at as "closedAt"`;
const TASK = `t.id, t.order_id as "orderId", t.household_id as "householdId", t.household_code as "householdCode", t.head_name as "headName",
  t.people, t.risk_object_id as "riskObjectId", t.division_id as "divisionId", d.code as "divisionCode", d.path::text as "divisionPath",
  t.holder_id as "holderId", t.shelter_id as "shelterId", t.reserved, t.rerouted_from_shelter_id as "reroutedFromShelterId",
  t.distance_m as "distanceM", t.route_note as "routeNote", t.status, t.checked_in as "checkedIn", t.created_at as "createdAt",
  t.arrived_at as "arrivedAt", t.closed_at as "closedAt", t.moved_people as "movedPeople", t.forced`;
const TASK_FROM = 'from evac_tasks t join registry_divisions d on d.id = t.division_id';

/** Named queries over transfer orders and their tasks. */
@Injectable()
export class TransferOrderRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /** The new order's id, or null when the source key already raised one. */
  async insert(m: EntityManager, o: RaiseOrderInput, now: Date): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(
      `insert into evac_orders (level, source, source_key, incident_id, risk_object_ids, division_codes, title, reason, drill, created_by, created_at)
       values ($1, $2, $3, $4, $5::uuid[], $6::varchar[], $7, $8, $9, $10, $11)
       on conflict (source_key) do nothing returning id`,
      [o.level, o.source, o.sourceKey, o.incidentId, o.riskObjectIds, o.divisionCodes, o.title, o.reason, o.drill, o.createdBy, now],
    );
    return rows[0]?.id ?? null;
  }

  async findOrder(id: string, manager?: EntityManager): Promise<OrderRow | undefined> {
    const rows: OrderRow[] = await this.m(manager).query(`select ${ORDER} from evac_orders o where o.id = $1`, [id]);
    return rows[0];
  }

  async findOrderByKey(m: EntityManager, key: string): Promise<OrderRow | undefined> {
    const rows: OrderRow[] = await m.query(`select ${ORDER} from evac_orders o where o.source_key = $1`, [key]);
    return rows[0];
  }

  async setCampaign(m: EntityManager, orderId: string, campaignId: string): Promise<void> {
    await m.query('update evac_orders set campaign_id = $2 where id = $1', [orderId, campaignId]);
  }

  /**
   * Open tasks of these households, locked: a second order finds them here and takes a
   * prepare-level task over (it keeps its places) instead of reserving again.
   */
  async lockOpenTasks(m: EntityManager, householdIds: string[]): Promise<Array<TaskRow & { orderLevel: string }>> {
    if (!householdIds.length) return [];
    return m.query(
      `select ${TASK}, o.level as "orderLevel" ${TASK_FROM} join evac_orders o on o.id = t.order_id
       where t.household_id = any($1::uuid[]) and t.closed_at is null order by t.id for update of t`,
      [householdIds],
    );
  }

  async moveTasks(m: EntityManager, taskIds: string[], orderId: string, now: Date): Promise<void> {
    if (!taskIds.length) return;
    await m.query('update evac_tasks set order_id = $2, updated_at = $3 where id = any($1::uuid[])', [taskIds, orderId, now]);
  }

  async insertTasks(m: EntityManager, orderId: string, tasks: TaskWrite[], now: Date): Promise<void> {
    if (!tasks.length) return;
    await m.query(
      `insert into evac_tasks (order_id, household_id, household_code, head_name, people, risk_object_id, division_id, holder_id, shelter_id,
                              reserved, rerouted_from_shelter_id, distance_m, route_note, created_at, updated_at)
       select $1, x.*, $14, $14
       from unnest($2::uuid[], $3::varchar[], $4::varchar[], $5::smallint[], $6::uuid[], $7::uuid[], $8::uuid[], $9::uuid[], $10::smallint[],
                   $11::uuid[], $12::int[], $13::varchar[]) as x`,
      [
        orderId,
        tasks.map((t) => t.householdId),
        tasks.map((t) => t.householdCode),
        tasks.map((t) => t.headName),
        tasks.map((t) => t.people),
        tasks.map((t) => t.riskObjectId),
        tasks.map((t) => t.divisionId),
        tasks.map((t) => t.holderId),
        tasks.map((t) => t.shelterId),
        tasks.map((t) => t.reserved),
        tasks.map((t) => t.reroutedFromShelterId),
        tasks.map((t) => t.distanceM),
        tasks.map((t) => t.routeNote),
        now,
      ],
    );
  }

  async tasksOf(orderId: string, manager?: EntityManager): Promise<TaskRow[]> {
    return this.m(manager).query(`select ${TASK} ${TASK_FROM} where t.order_id = $1 order by t.household_code`, [orderId]);
  }

  async findTask(id: string, manager?: EntityManager): Promise<TaskRow | undefined> {
    const rows: TaskRow[] = await this.m(manager).query(`select ${TASK} ${TASK_FROM} where t.id = $1`, [id]);
    return rows[0];
  }

  /** The task, locked until the caller's transaction ends (a check-in and a cancel never cross). */
  async lockTask(m: EntityManager, id: string): Promise<TaskRow | undefined> {
    const rows: TaskRow[] = await m.query(`select ${TASK} ${TASK_FROM} where t.id = $1 for update of t`, [id]);
    return rows[0];
  }

  async arrive(m: EntityManager, id: string, people: number, fromReserved: number, shelterId: string, now: Date): Promise<void> {
    await m.query(
      `update evac_tasks set status = 'arrived', checked_in = checked_in + $2, reserved = reserved - $3, shelter_id = $4,
              arrived_at = coalesce(arrived_at, $5), updated_at = $5
       where id = $1`,
      [id, people, fromReserved, shelterId, now],
    );
  }

  /** The report's id, or null when the phone's client id was used already (a resend). */
  async insertReport(
    m: EntityManager,
    r: {
      taskId: string;
      clientId: string;
      kind: string;
      people: number | null;
      reason: string | null;
      forced: boolean;
      byUserId: string | null;
    },
    now: Date,
  ): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(
      `insert into evac_reports (task_id, client_id, kind, people, reason, forced, by_user_id, at) values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (client_id) do nothing returning id`,
      [r.taskId, r.clientId, r.kind, r.people, r.reason, r.forced, r.byUserId, now],
    );
    return rows[0]?.id ?? null;
  }

  async reportTaskOf(m: EntityManager, clientId: string): Promise<string | undefined> {
    const rows: Array<{ taskId: string }> = await m.query('select task_id as "taskId" from evac_reports where client_id = $1', [clientId]);
    return rows[0]?.taskId;
  }

  async setStatus(m: EntityManager, id: string, s: { status: string; movedPeople?: number; forced?: boolean; close?: boolean }, now: Date) {
    await m.query(
      `update evac_tasks set status = $2, moved_people = coalesce($3, moved_people), forced = forced or $4,
              closed_at = case when $5 then $6 else closed_at end, updated_at = $6
       where id = $1`,
      [id, s.status, s.movedPeople ?? null, s.forced ?? false, s.close ?? false, now],
    );
  }

  async lockOrder(m: EntityManager, id: string): Promise<OrderRow | undefined> {
    const rows: OrderRow[] = await m.query(`select ${ORDER} from evac_orders o where o.id = $1 for update`, [id]);
    return rows[0];
  }

  async closeOrder(m: EntityManager, id: string, state: 'lifted' | 'cancelled', now: Date): Promise<void> {
    await m.query('update evac_orders set state = $2, closed_at = $3 where id = $1', [id, state, now]);
  }

  /** Open tasks of the order, locked (lifting it releases their held places and closes those not in a shelter). */
  async lockOpenTasksOf(m: EntityManager, orderId: string): Promise<TaskRow[]> {
    return m.query(`select ${TASK} ${TASK_FROM} where t.order_id = $1 and t.closed_at is null order by t.id for update of t`, [orderId]);
  }

  async releaseAll(m: EntityManager, ids: string[], closeIds: string[], now: Date): Promise<void> {
    await m.query(
      `update evac_tasks set reserved = 0, updated_at = $3, closed_at = case when id = any($2::uuid[]) then $3 else closed_at end
       where id = any($1::uuid[])`,
      [ids, closeIds, now],
    );
  }

  async cancel(m: EntityManager, id: string, now: Date): Promise<void> {
    await m.query(`update evac_tasks set status = 'cancelled', reserved = 0, closed_at = $2, updated_at = $2 where id = $1`, [id, now]);
  }
}

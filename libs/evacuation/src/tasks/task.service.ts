import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { AppError, assertInScope, CITY_WIDE_ROLES, Clock, inScope, Principal, validationError } from '@fangxun/common';
import { inTransaction } from '@fangxun/database';
import { ShelterService } from '@fangxun/geo';
import { RealtimeService, Rooms } from '@fangxun/notify';
import { EvacuationErrors } from '../evacuation.errors';
import { taskAuditFields } from '../evacuation-audit';
import type { CheckInTaskDto, TaskDto, TransferOrderDto } from '../orders/transfer-order.dto';
import { TransferOrderRepository } from '../orders/transfer-order.repository';
import { TaskRow, townOf } from '../orders/transfer-order.types';
import { TotalsService } from '../totals/totals.service';

/**
 * Orders and tasks as the field and the command room see them, and the two moves of places:
 * check-in (held places become occupied ones, in geo's guarded UPDATE) and cancel (held places
 * go back). The task row is locked for the move, so a check-in and a cancel never cross.
 */
@Injectable()
export class TaskService {
  constructor(
    private readonly orders: TransferOrderRepository,
    private readonly shelters: ShelterService,
    private readonly realtime: RealtimeService,
    private readonly totals: TotalsService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async order(principal: Principal, id: string): Promise<TransferOrderDto> {
    const o = await this.orders.findOrder(id);
    if (!o) throw orderNotFound(id);
    const all = await this.orders.tasksOf(id);
    const mine = all.filter((t) => inScope(principal, t.divisionPath));
    const cityWide = principal.kind === 'api_key' || CITY_WIDE_ROLES.includes(principal.role);
    if (!cityWide && all.length && !mine.length) assertInScope(principal, all[0].divisionPath, 'id');
    return {
      id: o.id,
      level: o.level,
      state: o.state,
      source: o.source,
      incidentId: o.incidentId,
      title: o.title,
      reason: o.reason,
      campaignId: o.campaignId,
      createdBy: o.createdBy,
      createdAt: new Date(o.createdAt).toISOString(),
      tasks: await this.toDtos(mine),
    };
  }

  async checkIn(principal: Principal, id: string, dto: CheckInTaskDto): Promise<TaskDto> {
    await this.inScope(principal, id);
    const now = this.clock.now();
    const task = await inTransaction(this.ds, async (m) => {
      const t = (await this.orders.lockTask(m, id))!;
      if (t.closedAt || t.status === 'cancelled' || t.status === 'returned') throw taskClosed(id, t.status);
      if (t.checkedIn + dto.people > t.people) {
        throw validationError('people', `${t.people - t.checkedIn} of the household's ${t.people} people are not checked in yet`);
      }
      const own = t.shelterId ? (await this.shelters.refs({ ids: [t.shelterId] }, m))[0] : undefined;
      const code = dto.shelterCode ?? own?.code;
      if (!code) throw validationError('shelterCode', 'the task has no shelter (flagged): name the shelter they arrived at');
      const same = own?.code === code;
      // People who went to another shelter than the one holding their places: those places go back.
      if (!same && own && t.reserved > 0) await this.shelters.releaseIn(m, own.code, t.reserved);
      const fromReserved = same ? Math.min(dto.people, t.reserved) : 0;
      const row = await this.shelters.checkInIn(m, code, dto.people, fromReserved);
      await this.orders.arrive(m, id, dto.people, same ? fromReserved : t.reserved, row.id, now);
      const after = (await this.orders.findTask(id, m))!;
      await this.realtime.publish(m, [
        {
          room: Rooms.division(townOf(after.divisionPath)),
          event: 'evacuation.task_arrived',
          payload: { taskId: id, orderId: after.orderId, householdCode: after.householdCode, people: dto.people, shelterCode: code },
        },
      ]);
      await this.totals.publish(m, [after.divisionPath]);
      await this.audit.append(m, {
        actor: principal,
        action: 'transfer_task.check_in',
        entity: 'transfer_task',
        entityId: id,
        before: taskAuditFields(t),
        after: { ...taskAuditFields(after), shelterCode: code, people: dto.people },
      });
      return after;
    });
    return (await this.toDtos([task]))[0];
  }

  async cancel(principal: Principal, id: string): Promise<TaskDto> {
    await this.inScope(principal, id);
    const now = this.clock.now();
    const task = await inTransaction(this.ds, async (m) => {
      const t = (await this.orders.lockTask(m, id))!;
      if (t.closedAt || t.status === 'arrived' || t.status === 'returned') throw taskClosed(id, t.status);
      const own = t.shelterId ? (await this.shelters.refs({ ids: [t.shelterId] }, m))[0] : undefined;
      if (own && t.reserved > 0) await this.shelters.releaseIn(m, own.code, t.reserved);
      await this.orders.cancel(m, id, now);
      await this.realtime.publish(m, [
        {
          room: Rooms.division(townOf(t.divisionPath)),
          event: 'evacuation.task_cancelled',
          payload: { taskId: id, orderId: t.orderId, householdCode: t.householdCode, released: t.reserved, shelterCode: own?.code ?? null },
        },
      ]);
      await this.totals.publish(m, [t.divisionPath]);
      const after = (await this.orders.findTask(id, m))!;
      await this.audit.append(m, {
        actor: principal,
        action: 'transfer_task.cancel',
        entity: 'transfer_task',
        entityId: id,
        before: taskAuditFields(t),
        after: taskAuditFields(after),
      });
      return after;
    });
    return (await this.toDtos([task]))[0];
  }

  async inScope(principal: Principal, id: string): Promise<TaskRow> {
    const t = await this.orders.findTask(id);
    if (!t) throw new AppError(EvacuationErrors.TransferTaskNotFound, `task ${id} not found`, [{ field: 'id', problem: 'no such task' }]);
    assertInScope(principal, t.divisionPath, 'id');
    return t;
  }

  async toDtos(rows: TaskRow[]): Promise<TaskDto[]> {
    const ids = rows.flatMap((r) => [r.shelterId, r.reroutedFromShelterId].filter((x): x is string => !!x));
    const code = new Map((await this.shelters.refs({ ids })).map((s) => [s.id, s.code]));
    return rows.map((r) => ({
      id: r.id,
      orderId: r.orderId,
      householdCode: r.householdCode,
      headName: r.headName,
      people: r.people,
      divisionCode: r.divisionCode,
      holderId: r.holderId,
      shelterCode: r.shelterId ? (code.get(r.shelterId) ?? null) : null,
      reserved: r.reserved,
      reroutedFromShelterCode: r.reroutedFromShelterId ? (code.get(r.reroutedFromShelterId) ?? null) : null,
      distanceM: r.distanceM,
      routeNote: r.routeNote,
      status: r.status,
      checkedIn: r.checkedIn,
      movedPeople: r.movedPeople,
      forced: r.forced,
      flagged: !r.shelterId || !r.holderId,
    }));
  }
}

function orderNotFound(id: string): AppError {
  return new AppError(EvacuationErrors.TransferOrderNotFound, `transfer order ${id} not found`, [
    { field: 'id', problem: 'no such order' },
  ]);
}

export function taskClosed(id: string, status: string): AppError {
  return new AppError(EvacuationErrors.TransferTaskClosed, `task ${id} is ${status}`, [{ field: 'id', problem: `the task is ${status}` }]);
}

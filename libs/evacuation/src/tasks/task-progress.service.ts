import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { AppError, assertInScope, Clock, Principal, validationError } from '@fangxun/common';
import { inTransaction } from '@fangxun/database';
import { ShelterService } from '@fangxun/geo';
import { RealtimeService, Rooms } from '@fangxun/notify';
import { EvacuationErrors } from '../evacuation.errors';
import { orderStateFields, taskAuditFields } from '../evacuation-audit';
import type { LiftedOrderDto, LiftOrderDto, TaskReportDto, TaskReportResultDto } from '../orders/transfer-order.dto';
import { TransferOrderRepository } from '../orders/transfer-order.repository';
import { TaskRow, TaskStatus, townOf } from '../orders/transfer-order.types';
import { TotalsService } from '../totals/totals.service';
import { taskClosed, TaskService } from './task.service';

const STATUS_OF: Record<TaskReportDto['kind'], TaskStatus> = {
  notified: 'notified',
  moving: 'moving',
  moved: 'moved',
  refused: 'refused',
  unreachable: 'unreachable',
  trapped: 'trapped',
  returned: 'returned',
};

/**
 * Progress from the field, household by household, and the lift. A report carries the phone's
 * own id: the first one with that id counts, a resend (after a dropped connection) changes
 * nothing and says so. No return before the order is lifted (不擅返): 409. Lifting gives back
 * the places held for people who never arrived and closes the tasks with nobody in a shelter;
 * people in shelters go home by a `returned` report, which checks them out.
 */
@Injectable()
export class TaskProgressService {
  constructor(
    private readonly orders: TransferOrderRepository,
    private readonly tasks: TaskService,
    private readonly shelters: ShelterService,
    private readonly realtime: RealtimeService,
    private readonly totals: TotalsService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async report(principal: Principal, id: string, dto: TaskReportDto): Promise<TaskReportResultDto> {
    await this.tasks.inScope(principal, id);
    if (dto.kind === 'refused' && !dto.reason) throw validationError('reason', 'say why the household refuses');
    if (dto.kind === 'moved' && dto.people === undefined) throw validationError('people', 'how many people were moved');
    if (dto.forced && dto.kind !== 'moved') throw validationError('forced', 'only a moved report can be a forced transfer');
    const now = this.clock.now();
    const byUserId = principal.kind === 'user' ? principal.userId : null;
    const { duplicate, task } = await inTransaction(this.ds, async (m) => {
      const t = (await this.orders.lockTask(m, id))!;
      const reportId = await this.orders.insertReport(
        m,
        {
          taskId: id,
          clientId: dto.clientId,
          kind: dto.kind,
          people: dto.people ?? null,
          reason: dto.reason ?? null,
          forced: !!dto.forced,
          byUserId,
        },
        now,
      );
      if (!reportId) {
        if ((await this.orders.reportTaskOf(m, dto.clientId)) !== id) {
          throw new AppError(EvacuationErrors.ReportIdReused, 'this clientId was used for another task', [
            { field: 'clientId', problem: 'already used for another task' },
          ]);
        }
        return { duplicate: true, task: t };
      }
      await this.apply(m, t, dto, now);
      const after = (await this.orders.findTask(id, m))!;
      await this.realtime.publish(m, [
        {
          room: Rooms.division(townOf(after.divisionPath)),
          event: 'evacuation.task_reported',
          payload: {
            taskId: id,
            orderId: after.orderId,
            householdCode: after.householdCode,
            kind: dto.kind,
            people: dto.people ?? null,
            status: after.status,
          },
        },
      ]);
      await this.totals.publish(m, [after.divisionPath]);
      // The report itself is recorded even when the task's fields stay as they were (a second 'moving').
      const report = {
        kind: dto.kind,
        people: dto.people ?? null,
        reason: dto.reason ?? null,
        forced: !!dto.forced,
        clientId: dto.clientId,
      };
      await this.audit.append(m, {
        actor: principal,
        action: dto.kind === 'returned' ? 'transfer_task.return' : 'transfer_task.report',
        entity: 'transfer_task',
        entityId: id,
        before: { ...taskAuditFields(t), report: null },
        after: { ...taskAuditFields(after), report },
      });
      return { duplicate: false, task: after };
    });
    return { duplicate, task: (await this.tasks.toDtos([task]))[0] };
  }

  private async apply(m: EntityManager, t: TaskRow, dto: TaskReportDto, now: Date): Promise<void> {
    if (t.closedAt || t.status === 'cancelled' || t.status === 'returned') throw taskClosed(t.id, t.status);
    if (dto.kind === 'returned') {
      const order = (await this.orders.findOrder(t.orderId, m))!;
      if (order.state === 'active') {
        throw new AppError(EvacuationErrors.ReturnBeforeLift, 'no return before the transfer order is lifted (不擅返)', [
          { field: 'kind', problem: 'the transfer order is still in force: nobody returns before it is lifted' },
        ]);
      }
      const own = t.shelterId ? (await this.shelters.refs({ ids: [t.shelterId] }, m))[0] : undefined;
      if (own && t.checkedIn > 0) await this.shelters.checkOutIn(m, own.code, t.checkedIn);
      if (own && t.reserved > 0) await this.shelters.releaseIn(m, own.code, t.reserved);
      await this.orders.releaseAll(m, [t.id], [], now);
      await this.orders.setStatus(m, t.id, { status: 'returned', close: true }, now);
      return;
    }
    if (dto.kind === 'moved' && (dto.people ?? 0) > t.people) {
      throw validationError('people', `the household has ${t.people} people`);
    }
    // A household already in a shelter stays "arrived" whatever else is reported about the way there.
    const status = t.status === 'arrived' && dto.kind !== 'trapped' ? 'arrived' : STATUS_OF[dto.kind];
    await this.orders.setStatus(m, t.id, { status, movedPeople: dto.kind === 'moved' ? dto.people : undefined, forced: dto.forced }, now);
  }

  async lift(principal: Principal, orderId: string, dto: LiftOrderDto): Promise<LiftedOrderDto> {
    const now = this.clock.now();
    return inTransaction(this.ds, async (m) => {
      const o = await this.orders.lockOrder(m, orderId);
      if (!o) {
        throw new AppError(EvacuationErrors.TransferOrderNotFound, `transfer order ${orderId} not found`, [
          { field: 'id', problem: 'no such order' },
        ]);
      }
      if (o.state !== 'active') {
        throw new AppError(EvacuationErrors.TransferOrderClosed, `order ${orderId} is ${o.state}`, [
          { field: 'id', problem: `the order is ${o.state}` },
        ]);
      }
      const open = await this.orders.lockOpenTasksOf(m, orderId);
      for (const t of open) assertInScope(principal, t.divisionPath, 'id');
      const ids = open.flatMap((t) => (t.shelterId ? [t.shelterId] : []));
      const code = new Map((await this.shelters.refs({ ids }, m)).map((s) => [s.id, s.code]));
      let released = 0;
      for (const t of open) {
        if (t.reserved > 0 && t.shelterId) {
          await this.shelters.releaseIn(m, code.get(t.shelterId)!, t.reserved);
          released += t.reserved;
        }
      }
      const close = open.filter((t) => t.checkedIn === 0).map((t) => t.id);
      await this.orders.releaseAll(
        m,
        open.map((t) => t.id),
        close,
        now,
      );
      await this.orders.closeOrder(m, orderId, 'lifted', now);
      const towns = [...new Set(open.map((t) => townOf(t.divisionPath)))];
      const payload = { orderId, reason: dto.reason, released, closed: close.length, liftedAt: now.toISOString() };
      await this.realtime.publish(
        m,
        (towns.length ? towns.map((x) => Rooms.division(x)) : [Rooms.command]).map((room) => ({
          room,
          event: 'evacuation.order_lifted',
          payload,
        })),
      );
      await this.totals.publish(
        m,
        open.map((t) => t.divisionPath),
      );
      await this.audit.append(m, {
        actor: principal,
        action: 'transfer_order.lift',
        entity: 'transfer_order',
        entityId: orderId,
        before: { ...orderStateFields(o), reason: null },
        after: { ...orderStateFields({ state: 'lifted', closedAt: now }), reason: dto.reason, released, closed: close.length },
        incidentId: o.incidentId,
      });
      return { orderId, released, closed: close.length };
    });
  }
}

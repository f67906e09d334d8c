import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '@fangxun/database';
import type { RealtimeEvent } from '@fangxun/notify';
import { RealtimeService, Rooms } from '@fangxun/notify';
import { toTargetDto } from './order.mapper';
import { OrderRepository, OrderRow } from './order.repository';

export type TargetChange = 'signed' | 'escalated' | 'completed' | 'overdue';

/**
 * Every change of an order, in the caller's transaction: an outbox event for other modules
 * (`response.order_*`) and the live channel — the target's town room on /command (screens of
 * the town and above: the city sees all) with the town's progress row; overdue targets are
 * also raised to the city command room (`response.order_overdue`).
 */
@Injectable()
export class OrderLive {
  constructor(
    private readonly orders: OrderRepository,
    private readonly realtime: RealtimeService,
    private readonly outbox: OutboxService,
  ) {}

  async issued(m: EntityManager, order: OrderRow): Promise<void> {
    const targets = await this.orders.targetsOf(order.id, undefined, m);
    const payload = {
      orderId: order.id,
      incidentId: order.incidentId,
      title: order.title,
      issuerName: order.issuerName,
      deadlineAt: order.deadlineAt.toISOString(),
      targets: targets.length,
    };
    const towns = [...new Set(targets.map((t) => t.townCode))];
    await this.realtime.publish(
      m,
      towns.map((town) => ({ room: Rooms.division(town), event: 'response.order_issued', payload: { ...payload, townCode: town } })),
    );
    await this.outbox.append(m, { topic: 'response.order_issued', key: order.id, payload });
  }

  async targetsChanged(m: EntityManager, order: OrderRow, targetIds: string[], change: TargetChange): Promise<void> {
    if (!targetIds.length) return;
    const targets = await this.orders.targetsByIds(m, targetIds);
    const events: RealtimeEvent[] = targets.map((t): RealtimeEvent => {
      // `id` is the live channel's own (the event's replay cursor): the target's id goes as targetId.
      const { id: targetId, ...target } = toTargetDto(t);
      return {
        room: Rooms.division(t.townCode),
        event: 'response.order_target',
        payload: { change, orderId: order.id, incidentId: order.incidentId, targetId, ...target },
      };
    });
    const board = new Map((await this.orders.board(order.id, undefined, m)).map((r) => [r.townCode, r]));
    for (const town of new Set(targets.map((t) => t.townCode))) {
      events.push({
        room: Rooms.division(town),
        event: 'response.order_progress',
        payload: { orderId: order.id, incidentId: order.incidentId, ...board.get(town)! },
      });
    }
    if (change === 'overdue') {
      events.push({
        room: Rooms.command,
        event: 'response.order_overdue',
        payload: {
          orderId: order.id,
          incidentId: order.incidentId,
          title: order.title,
          deadlineAt: order.deadlineAt.toISOString(),
          targets: targets.map((t) => ({ targetId: t.id, label: t.label, townCode: t.townCode, state: t.state })),
        },
      });
    }
    await this.realtime.publish(m, events);
    await this.outbox.appendMany(
      m,
      targets.map((t) => ({
        topic: `response.order_${change}`,
        key: order.id,
        payload: {
          orderId: order.id,
          incidentId: order.incidentId,
          targetId: t.id,
          townCode: t.townCode,
          state: t.state,
          counts: t.counts,
        },
      })),
    );
  }

  async completed(m: EntityManager, order: OrderRow): Promise<void> {
    const targets = await this.orders.targetsOf(order.id, undefined, m);
    const payload = { orderId: order.id, incidentId: order.incidentId, title: order.title };
    await this.realtime.publish(
      m,
      [...new Set(targets.map((t) => t.townCode))].map((town) => ({
        room: Rooms.division(town),
        event: 'response.order_completed',
        payload,
      })),
    );
    await this.outbox.append(m, { topic: 'response.order_completed', key: order.id, payload });
  }
}

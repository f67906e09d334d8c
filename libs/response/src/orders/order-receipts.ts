import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { UUID_PATTERN } from '@fangxun/common';
import { inTransaction, type OutboxEvent } from '@fangxun/database';
import type { CallAnsweredPayload, CallEscalatedPayload } from '@fangxun/wakeup';
import { WAKEUP_TOPICS } from '@fangxun/wakeup';
import { OrderRepository } from './order.repository';
import { OrderService } from './order.service';
import { RECEIPTS_ACTOR, targetEntries } from './order-audit';
import { orderIdOfSourceKey } from './order-delivery';
import { OrderLive } from './order-live';

/** The outbox consumer name under which orders read the wake-up's events. */
export const ORDERS_CONSUMER = 'response-orders';

/**
 * What an order learns from the wake-up's outbox (never its tables): a person's first answer to
 * the order's call signs (签收) his targets, whatever the channel (socket, SMS link, SMS reply,
 * proxy); a "done" answer also completes them with its counts; a call escalated up the 包保 chain
 * marks his unsigned targets escalated. Idempotent: a redelivered event changes nothing.
 */
@Injectable()
export class OrderReceipts {
  constructor(
    private readonly orders: OrderRepository,
    private readonly service: OrderService,
    private readonly live: OrderLive,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async handle(e: OutboxEvent): Promise<string> {
    if (e.topic !== WAKEUP_TOPICS.callAnswered && e.topic !== WAKEUP_TOPICS.callEscalated) return 'ignored';
    const p = e.payload as Partial<CallAnsweredPayload & CallEscalatedPayload>;
    const orderId = typeof p.sourceKey === 'string' ? orderIdOfSourceKey(p.sourceKey) : null;
    if (!orderId || !UUID_PATTERN.test(orderId)) return 'ignored';
    if (!p.holderId || typeof p.at !== 'string') return 'malformed wake-up event';
    if (e.topic === WAKEUP_TOPICS.callAnswered && p.origin !== 'recipient') return 'an escalation call answered: not a receipt';
    const holderId = p.holderId;
    const at = new Date(p.at);
    return inTransaction(this.ds, async (m) => {
      const order = await this.orders.get(orderId, m);
      if (!order) return `order ${orderId} not found`;
      if (e.topic === WAKEUP_TOPICS.callEscalated) {
        const ids = await this.orders.escalated(m, orderId, holderId, at);
        await this.live.targetsChanged(m, order, ids, 'escalated');
        await this.audit.appendMany(
          m,
          targetEntries(RECEIPTS_ACTOR, 'escalate', order, ids, { escalatedAt: at, escalatedHolderId: holderId }),
        );
        return `${ids.length} target(s) escalated`;
      }
      const via = p.via ?? 'socket';
      const signed = await this.orders.sign(m, orderId, holderId, at, via);
      await this.live.targetsChanged(m, order, signed, 'signed');
      const signs = targetEntries(RECEIPTS_ACTOR, 'sign', order, signed, { signedAt: at, signedVia: via, signedHolderId: holderId });
      if (p.stage !== 'done') {
        await this.audit.appendMany(m, signs);
        return `${signed.length} target(s) signed via ${via}`;
      }
      const mine = await this.orders.lockTargetsOfPerson(m, orderId, holderId);
      // The receipts are audited with the completion, last (after the targets' locks).
      const done = await this.service.completeIn(
        m,
        order,
        mine,
        { at, via: 'ack', by: holderId, report: '叫应回复：已完成', counts: p.counts ?? null },
        RECEIPTS_ACTOR,
        signs,
      );
      return `${signed.length} signed, ${done.length} completed via ${via}`;
    });
  }
}

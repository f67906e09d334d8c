import { Injectable } from '@nestjs/common';
import { systemActor } from '@fangxun/audit';
import type { OutboxEvent } from '@fangxun/database';
import { RISK_STATUS_TOPIC, RiskObjectService } from '@fangxun/geo';
import { TransferOrderService } from '../orders/transfer-order.service';
import type { OrderLevel } from '../orders/transfer-order.types';

/** The outbox consumer name of the evacuation module. */
export const EVACUATION_CONSUMER = 'evacuation';

const LEVEL_OF: Record<string, OrderLevel> = { prepare: 'prepare', evacuate: 'immediate' };

/**
 * A risk object turning to 准备转移 (prepare) or 立即转移 (evacuate) — by its rain thresholds or
 * by a person — raises a transfer order over its households, if it still has that status. Idempotent: the order's key is
 * the outbox event's id, so an event delivered again (its consumer died before acking) finds
 * the order it raised.
 */
@Injectable()
export class EvacuationEventsHandler {
  constructor(
    private readonly orders: TransferOrderService,
    private readonly riskObjects: RiskObjectService,
  ) {}

  async handle(e: OutboxEvent): Promise<string> {
    if (e.topic !== RISK_STATUS_TOPIC) return 'ignored';
    const p = e.payload as { riskObjectId?: string; code?: string; from?: string; to?: string; reason?: string; by?: string };
    const level = p.to ? LEVEL_OF[p.to] : undefined;
    if (!level || !p.riskObjectId) return 'ignored';
    // 立即转移 back to 准备转移 moves nobody new: the households' immediate tasks stand.
    if (p.from === 'evacuate' && p.to === 'prepare') return 'downgrade to prepare: the immediate order stands';
    // A change already overtaken (the object is back to normal, or this is an old event read by a
    // consumer's first run) raises nothing: an order is for the status the object has now.
    const now = await this.riskObjects.currentStatus(p.riskObjectId);
    if (now !== p.to) return `status is ${now ?? 'gone'} now, not ${p.to}: no order`;
    const raised = await this.orders.raise({
      level,
      source: 'risk_status',
      sourceKey: `risk_status:${e.id}`,
      riskObjectIds: [p.riskObjectId],
      divisionPaths: [],
      divisionCodes: [],
      incidentId: null,
      title: `${p.code ?? p.riskObjectId}`,
      reason: (p.reason ?? '').slice(0, 300) || null,
      drill: false,
      createdBy: `risk_status:${p.by ?? 'system'}`.slice(0, 100),
      // The order is the system's answer to the status event (who changed the status is in createdBy and the geo audit).
      actor: systemActor('evacuation.risk_status'),
    });
    return `order ${raised.orderId}: ${raised.tasks} tasks, ${raised.reserved} places${raised.created ? '' : ' (existing)'}`;
  }
}

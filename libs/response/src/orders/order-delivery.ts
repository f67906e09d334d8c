import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@fangxun/database';
import { HolderService } from '@fangxun/registry';
import type { Recipient } from '@fangxun/wakeup';
import { CampaignService } from '@fangxun/wakeup';
import { OrderRepository, OrderRow } from './order.repository';

/** The wake-up campaign that delivers an order: one per order, found again by this key. */
export const orderSourceKey = (orderId: string): string => `order:${orderId}`;
export const orderIdOfSourceKey = (key: string): string | null => (key.startsWith('order:') ? key.slice(6) : null);

/**
 * Delivers an order through the wake-up (`CampaignService.start`, source `order`): each
 * person called once, with every target he answers for as his reasons, so the push, the SMS
 * link, an SMS reply and a duty officer's proxy answer all sign for it. Idempotent (the
 * campaign's source key is the order's id): a delivery cut short by a crash is simply run again.
 */
@Injectable()
export class OrderDelivery {
  private readonly log = new Logger(OrderDelivery.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly campaigns: CampaignService,
    private readonly holders: HolderService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async deliver(order: OrderRow): Promise<string | null> {
    const people = await this.orders.peopleOf(order.id);
    const rows = new Map((await this.holders.findRows(people.map((p) => p.holderId))).map((h) => [h.id, h]));
    const recipients: Recipient[] = people.flatMap((p) => {
      const h = rows.get(p.holderId);
      if (!h?.active) return [];
      return [
        {
          holderId: h.id,
          name: h.name,
          role: h.role,
          divisionCode: h.divisionCode,
          divisionPath: h.divisionPath,
          mobile: h.mobile,
          reasons: p.labels.map((label) => ({ kind: 'named' as const, text: `${order.issuerName}指令：${label}`.slice(0, 200) })),
        },
      ];
    });
    if (!recipients.length) return null;
    const started = await this.campaigns.start({
      source: 'order',
      sourceKey: orderSourceKey(order.id),
      warningKind: 'other',
      level: order.level,
      title: order.title,
      message: order.body.slice(0, 1000),
      drill: order.drill,
      createdBy: order.createdBy,
      recipients,
      unreachable: [],
      ruleName: null,
      area: { orderId: order.id, incidentId: order.incidentId },
    });
    await inTransaction(this.ds, (m) => this.orders.setCampaign(m, order.id, started.campaignId));
    this.log.log(`order ${order.id} delivered: campaign ${started.campaignId}, ${started.calls} calls`);
    return started.campaignId;
  }
}

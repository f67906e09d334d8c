import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@fangxun/audit';
import { AuditService } from '@fangxun/audit';
import { Clock, IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService } from '@fangxun/database';
import { SheetService } from '../sheets/sheet.service';
import { OrderRepository } from './order.repository';
import { OVERDUE_ACTOR, targetEntries } from './order-audit';
import { OrderDelivery } from './order-delivery';
import { OrderLive } from './order-live';
import { OrderReceipts, ORDERS_CONSUMER } from './order-receipts';

/** An order still without its campaign this long after it was stored is delivered again (a crash cut it short). */
const REDELIVER_AFTER_MS = 60_000;

/**
 * The worker's order loop, a thin tick: receipts and escalations from the wake-up's outbox
 * events, targets past their deadline marked overdue once and raised to the command room, sheet
 * chains past their instruction's deadline marked overdue, deliveries cut short run again. All
 * claimed from the database (consumer cursor, SKIP LOCKED), so two workers never do a thing twice.
 */
@Injectable()
export class OrderJobs extends IntervalJob {
  constructor(
    private readonly outbox: OutboxService,
    private readonly receipts: OrderReceipts,
    private readonly orders: OrderRepository,
    private readonly live: OrderLive,
    private readonly delivery: OrderDelivery,
    private readonly sheets: SheetService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.responseOrders.tickMs;
  }

  protected async round(): Promise<number> {
    return (await this.events()) + (await this.overdue()) + (await this.sheets.markOverdue()) + (await this.redeliver());
  }

  private events(): Promise<number> {
    const { batchSize: limit, leaseSeconds } = this.config.responseOrders;
    return this.outbox.consume(ORDERS_CONSUMER, { limit, leaseSeconds }, (e) => this.receipts.handle(e), this.log);
  }

  private async overdue(): Promise<number> {
    const now = this.clock.now();
    return inTransaction(this.ds, async (m) => {
      const due = await this.orders.markOverdue(m, now, this.config.responseOrders.batchSize);
      const byOrder = new Map<string, string[]>();
      for (const d of due) byOrder.set(d.orderId, [...(byOrder.get(d.orderId) ?? []), d.id]);
      const entries: AuditEntry[] = [];
      for (const [orderId, ids] of byOrder) {
        const order = (await this.orders.get(orderId, m))!;
        await this.live.targetsChanged(m, order, ids, 'overdue');
        entries.push(...targetEntries(OVERDUE_ACTOR, 'overdue', order, ids, { overdueAt: now }));
      }
      await this.audit.appendMany(m, entries);
      return due.length;
    });
  }

  private async redeliver(): Promise<number> {
    const ids = await this.orders.undelivered(new Date(this.clock.now().getTime() - REDELIVER_AFTER_MS), 20);
    for (const id of ids) await this.delivery.deliver((await this.orders.get(id))!);
    return ids.length;
  }
}

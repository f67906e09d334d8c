import { Module } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { OutboxModule } from '@fangxun/database';
import { GeoModule } from '@fangxun/geo';
import { RealtimeModule } from '@fangxun/notify';
import { RegistryModule } from '@fangxun/registry';
import { WakeupModule } from '@fangxun/wakeup';
import { ResponseModule } from '../response.module';
import { SheetController } from '../sheets/sheet.controller';
import { SheetRepository } from '../sheets/sheet.repository';
import { SheetService } from '../sheets/sheet.service';
import { OrderController } from './order.controller';
import { OrderRepository } from './order.repository';
import { OrderService } from './order.service';
import { OrderDelivery } from './order-delivery';
import { OrderIncidents } from './order-incidents';
import { OrderLive } from './order-live';
import { OrderReceipts } from './order-receipts';
import { OrderSocket } from './order-socket';
import { OrderTargets } from './order-targets';

/**
 * Orders (指令) delivered through the wake-up, with receipt, feedback, overdue and a per-town
 * board; the "1833" three-sheet chains whose instruction is such an order. Exports the services
 * (the incidents side and, later, evacuation's transfer orders use them).
 */
@Module({
  imports: [AuditModule, RegistryModule, GeoModule, OutboxModule, RealtimeModule, WakeupModule, ResponseModule],
  controllers: [OrderController, SheetController],
  providers: [
    Clock,
    OrderRepository,
    OrderIncidents,
    OrderTargets,
    OrderDelivery,
    OrderLive,
    OrderService,
    OrderReceipts,
    OrderSocket,
    SheetRepository,
    SheetService,
  ],
  exports: [OrderService, SheetService, OrderReceipts, OrderDelivery, OrderRepository, OrderLive],
})
export class ResponseOrdersModule {}

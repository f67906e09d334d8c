import { Module } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { OutboxModule } from '@fangxun/database';
import { GeoModule } from '@fangxun/geo';
import { RealtimeModule } from '@fangxun/notify';
import { RegistryModule } from '@fangxun/registry';
import { ResponseModule } from '@fangxun/response';
import { WakeupModule } from '@fangxun/wakeup';
import { HouseholdController } from './households/household.controller';
import { HouseholdRepository } from './households/household.repository';
import { HouseholdService } from './households/household.service';
import { HouseholdImportController } from './import/household-import.controller';
import { HouseholdImportService } from './import/household-import.service';
import { ManualTransferOrders } from './orders/manual-transfer-orders';
import { TaskRouter } from './orders/task-router';
import { TransferOrderController } from './orders/transfer-order.controller';
import { TransferOrderRepository } from './orders/transfer-order.repository';
import { TransferOrderService } from './orders/transfer-order.service';
import { TransferOrderIncidents } from './orders/transfer-order-incidents';
import { TaskController } from './tasks/task.controller';
import { TaskService } from './tasks/task.service';
import { TaskProgressService } from './tasks/task-progress.service';
import { TotalsController } from './totals/totals.controller';
import { TotalsRepository } from './totals/totals.repository';
import { TotalsService } from './totals/totals.service';

/**
 * Evacuation (人员转移): the household register (一户一策), transfer orders and their tasks with
 * shelter places reserved at dispatch. Reads geo, registry and wake-up through their services.
 */
@Module({
  imports: [AuditModule, RegistryModule, GeoModule, OutboxModule, RealtimeModule, WakeupModule, ResponseModule],
  // The import controller first: '/evacuation/households/import' must not be taken for a code.
  controllers: [HouseholdImportController, HouseholdController, TransferOrderController, TaskController, TotalsController],
  providers: [
    Clock,
    HouseholdRepository,
    HouseholdService,
    HouseholdImportService,
    TransferOrderRepository,
    TaskRouter,
    TransferOrderService,
    TransferOrderIncidents,
    ManualTransferOrders,
    TaskService,
    TaskProgressService,
    TotalsRepository,
    TotalsService,
  ],
  exports: [HouseholdService, TransferOrderService],
})
export class EvacuationModule {}

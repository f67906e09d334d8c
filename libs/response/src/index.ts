// Orders (指令) and the 1833 sheet chains (branch h9orders). The incidents side (levels, steps,
// groups, plans: branch h9core) adds its own exports here when the two are merged.
import './orders/order.events';
export * from './orders/response-orders.module';
export * from './orders/response-orders-jobs.module';
export * from './orders/response-orders.errors';
export { OrderService } from './orders/order.service';
export { OrderJobs } from './orders/order.jobs';
export { OrderReceipts, ORDERS_CONSUMER } from './orders/order-receipts';
export * from './orders/dto/order.dto';
export { SheetService } from './sheets/sheet.service';
export * from './sheets/sheet.dto';

export * from './evacuation.module';
export * from './evacuation.errors';
export { HouseholdService } from './households/household.service';
export * from './evacuation-jobs.module';
export { EvacuationJobs } from './events/evacuation.jobs';
export { TransferOrderService } from './orders/transfer-order.service';
export type { RaisedOrder } from './orders/transfer-order.service';

import './evacuation.events';
export * from './evacuation.module';
export * from './evacuation.errors';
export { HouseholdService } from './households/household.service';
export * from './evacuation-jobs.module';
export { EvacuationJobs } from './events/evacuation.jobs';
export { TransferOrderService } from './orders/transfer-order.service';
export type { RaisedOrder } from './orders/transfer-order.service';
// For the demo seed (libs/evacuation/seed) on purpose: it writes households the way the import does.
export { HouseholdRepository } from './households/household.repository';
export { sameHousehold } from './households/household-compare';
export type { HouseholdWrite, VulnerableMember } from './households/household.types';

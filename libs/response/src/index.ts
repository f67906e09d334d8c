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
export * from './response.module';
export * from './response-jobs.module';
export { ResponseErrors } from './response.errors';
export { IncidentService } from './incidents/incident.service';
export { IncidentLive, RESPONSE_EVENTS } from './incidents/incident-live';
export { IncidentEndGuards, INCIDENT_END_GUARDS } from './incidents/end-guards';
export type { IncidentEndGuard, OpenWork } from './incidents/end-guards';
export type { Incident, IncidentStatus, LevelChange, ProposalRecord } from './incidents/incident.types';
export { ResponseJobs } from './levels/response.jobs';
export { ArealRainfallJob } from './levels/areal-rainfall.job';

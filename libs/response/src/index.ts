export * from './response.module';
export * from './response-jobs.module';
export { ResponseErrors } from './response.errors';
export { IncidentService } from './incidents/incident.service';
export { IncidentLive, RESPONSE_EVENTS } from './incidents/incident-live';
export { IncidentEndGuards, INCIDENT_END_GUARDS } from './incidents/end-guards';
export type { IncidentEndGuard, OpenWork } from './incidents/end-guards';
export type { Incident, IncidentStatus, LevelChange, ProposalRecord } from './incidents/incident.types';
export { ResponseJobs } from './levels/response.jobs';

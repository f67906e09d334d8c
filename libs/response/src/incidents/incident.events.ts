import type { IncidentDto } from './incident.dto';

/**
 * The response's events on /command (typed into the live channel's map): the incident as the
 * screen's scope sees it (the city, or one town's part), and changes inside it, each naming its
 * incident.
 */
declare module '@fangxun/notify' {
  interface ServerEvents {
    'response.incident_changed': { action: string; incident: IncidentDto } & Record<string, unknown>;
    'response.step_changed': IncidentDetail;
    'response.group_changed': IncidentDetail;
    'response.measure_changed': IncidentDetail;
    'response.plan_activated': IncidentDetail;
    'response.control_point_changed': IncidentDetail;
  }
}

/** A change inside an incident: its id and what changed (the step, group, item… as its DTO). */
export type IncidentDetail = { incidentId: string } & Record<string, unknown>;

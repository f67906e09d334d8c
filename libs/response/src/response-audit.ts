import type { AuditActor, AuditEntry, Fields } from '@fangxun/audit';
import type { Incident } from './incidents/incident.types';

/**
 * One audit row of the response: every row names its incident (the audit log's incident column),
 * so an auditor reads an incident's whole trail with `GET /audit?incidentId=`.
 */
export function responseEntry(
  actor: AuditActor,
  action: string,
  incidentId: string,
  entity: { kind: string; id: string },
  before: Fields | null,
  after: Fields | null,
): AuditEntry {
  return { actor, action, entity: entity.kind, entityId: entity.id, incidentId, before, after };
}

/** The incident's fields a decision changes (the audit keeps only those that differ). */
export function incidentFields(i: Incident): Fields {
  return {
    status: i.status,
    level: i.level,
    cityWide: i.cityWide,
    townCodes: i.townCodes,
    orderNo: i.orderNo,
    title: i.title,
    proposal: i.proposal,
    suggestion: i.suggestion,
    reportIntervalMinutes: i.reportIntervalMinutes,
    nextReportDueAt: i.nextReportDueAt,
    campaignId: i.campaignId,
    startedAt: i.startedAt,
    endedAt: i.endedAt,
    endReason: i.endReason,
  };
}

/** `incident.<action>`: a decision on the incident, before → after (null before on a create). */
export function incidentEntry(actor: AuditActor, action: string, before: Incident | null, after: Incident, extra: Fields = {}): AuditEntry {
  return responseEntry(actor, `incident.${action}`, after.id, { kind: 'incident', id: after.id }, before && incidentFields(before), {
    ...incidentFields(after),
    ...extra,
  });
}

import type { ThresholdEventDto } from './threshold.dto';
import type { EventRow } from './threshold.repository';

/** The row without its division path (an internal scoping column). */
export function toThresholdEventDto(r: EventRow): ThresholdEventDto {
  return {
    id: r.id,
    rule: r.rule,
    subject: r.subject,
    subjectName: r.subjectName,
    windowHours: r.windowHours,
    sumMm: r.sumMm,
    thresholdMm: r.thresholdMm,
    from: r.from,
    to: r.to,
    direction: r.direction,
    readings: r.evidence,
    warningId: r.warningId,
    riskStatusFrom: r.riskStatusFrom,
    riskStatusTo: r.riskStatusTo,
    reason: r.reason,
    occurredAt: new Date(r.occurredAt).toISOString(),
  };
}

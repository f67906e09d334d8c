import type { OrderDto, OrderTargetDto } from './dto/order.dto';
import type { OrderRow, TargetRow } from './order.repository';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function toTargetDto(t: TargetRow): OrderTargetDto {
  return {
    id: t.id,
    kind: t.kind,
    ref: t.ref,
    label: t.label,
    townCode: t.townCode,
    state: t.state,
    overdue: !!t.overdueAt,
    signedAt: iso(t.signedAt),
    signedVia: t.signedVia,
    signedBy: t.signedBy,
    escalatedAt: iso(t.escalatedAt),
    overdueAt: iso(t.overdueAt),
    completedAt: iso(t.completedAt),
    completedVia: t.completedVia,
    completedBy: t.completedBy,
    report: t.report,
    counts: t.counts,
    late: t.late,
    people: t.people,
    peopleSigned: t.peopleSigned,
  };
}

export function toOrderDto(o: OrderRow, targets: TargetRow[]): OrderDto {
  return {
    id: o.id,
    incidentId: o.incidentId,
    issuerKind: o.issuerKind,
    issuerName: o.issuerName,
    issuerGroupId: o.issuerGroupId,
    title: o.title,
    body: o.body,
    reportItems: o.reportItems,
    level: o.level,
    deadlineAt: o.deadlineAt.toISOString(),
    drill: o.drill,
    campaignId: o.campaignId,
    state: o.state,
    createdBy: o.createdBy,
    createdAt: o.createdAt.toISOString(),
    completedAt: iso(o.completedAt),
    targets: targets.map(toTargetDto),
  };
}

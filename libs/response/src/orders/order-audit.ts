import type { AuditActor, AuditEntry, Fields } from '@fangxun/audit';
import { systemActor } from '@fangxun/audit';
import { responseEntry } from '../response-audit';
import type { NewTarget, OrderRow } from './order.repository';

/** The worker's actors: receipts and escalations read from the wake-up's outbox, and the overdue sweep. */
export const RECEIPTS_ACTOR = systemActor('response.order_receipts');
export const OVERDUE_ACTOR = systemActor('response.order_overdue');

/** `order.issue`: the order as issued, its targets by kind and label. */
export function orderIssued(actor: AuditActor, o: OrderRow, targets: NewTarget[]): AuditEntry {
  return responseEntry(actor, 'order.issue', o.incidentId, { kind: 'order', id: o.id }, null, {
    title: o.title,
    body: o.body,
    issuerKind: o.issuerKind,
    issuerName: o.issuerName,
    level: o.level,
    deadlineAt: o.deadlineAt,
    drill: o.drill,
    reportItems: o.reportItems,
    targets: targets.map((t) => ({ kind: t.kind, label: t.label, townCode: t.townCode })),
  });
}

/** `order.complete`: the order's last target reported back. */
export function orderCompleted(actor: AuditActor, o: OrderRow, at: Date): AuditEntry {
  return responseEntry(
    actor,
    'order.complete',
    o.incidentId,
    { kind: 'order', id: o.id },
    { state: 'open' },
    { state: 'completed', completedAt: at },
  );
}

/**
 * `order_target.<verb>` for each target a change touched (sign, complete, escalate, overdue):
 * the fields it set, before (all null: each is set once) and after.
 */
export function targetEntries(actor: AuditActor, verb: string, o: OrderRow, ids: string[], after: Fields): AuditEntry[] {
  const before = Object.fromEntries(Object.keys(after).map((k) => [k, null]));
  return ids.map((id) => responseEntry(actor, `order_target.${verb}`, o.incidentId, { kind: 'order_target', id }, before, after));
}

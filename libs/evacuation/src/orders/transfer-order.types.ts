import type { AuditActor } from '@fangxun/audit';

export const ORDER_LEVELS = ['prepare', 'immediate'] as const;
/** 准备转移 (get ready) or 立即转移 (go now). */
export type OrderLevel = (typeof ORDER_LEVELS)[number];
export type OrderSource = 'risk_status' | 'manual';

/** What raises an order: a risk object's status (from the outbox) or a commander. */
export interface RaiseOrderInput {
  level: OrderLevel;
  source: OrderSource;
  /** Idempotency: the same key raises one order however often it is asked. */
  sourceKey: string;
  riskObjectIds: string[];
  /** Divisions (ltree paths) whose households all move, with their codes for the record. */
  divisionPaths: string[];
  divisionCodes: string[];
  incidentId: string | null;
  title: string;
  reason: string | null;
  drill: boolean;
  createdBy: string;
  /** Who raises it, for the audit log: the commander's principal, or the system for a status event. */
  actor: AuditActor;
}

export interface OrderRow {
  id: string;
  level: OrderLevel;
  state: 'active' | 'lifted' | 'cancelled';
  source: OrderSource;
  sourceKey: string;
  incidentId: string | null;
  riskObjectIds: string[];
  divisionCodes: string[];
  title: string;
  reason: string | null;
  drill: boolean;
  campaignId: string | null;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
}

/** One household's task as it is written. */
export interface TaskWrite {
  householdId: string;
  householdCode: string;
  headName: string;
  people: number;
  riskObjectId: string;
  divisionId: string;
  holderId: string | null;
  shelterId: string | null;
  reserved: number;
  reroutedFromShelterId: string | null;
  distanceM: number | null;
  routeNote: string | null;
}

export interface TaskRow {
  id: string;
  orderId: string;
  householdId: string | null;
  householdCode: string;
  headName: string;
  people: number;
  riskObjectId: string | null;
  divisionId: string;
  divisionCode: string;
  divisionPath: string;
  holderId: string | null;
  shelterId: string | null;
  reserved: number;
  reroutedFromShelterId: string | null;
  distanceM: number | null;
  routeNote: string | null;
  status: TaskStatus;
  checkedIn: number;
  movedPeople: number;
  forced: boolean;
  createdAt: Date;
  arrivedAt: Date | null;
  closedAt: Date | null;
}

export const TASK_STATUSES = [
  'issued',
  'notified',
  'moving',
  'moved',
  'arrived',
  'refused',
  'unreachable',
  'trapped',
  'returned',
  'cancelled',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const REPORT_KINDS = ['notified', 'moving', 'moved', 'refused', 'unreachable', 'trapped', 'returned'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The town (second label) of a division path; the city's own path stands for itself. */
export function townOf(path: string): string {
  const labels = path.split('.');
  return labels[1] ?? labels[0];
}

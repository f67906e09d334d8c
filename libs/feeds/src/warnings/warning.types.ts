export const WARNING_KINDS = ['rainstorm', 'typhoon', 'flash_flood', 'geo_hazard', 'river_flood', 'other'] as const;
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export const WARNING_ISSUERS = ['meteorology', 'water_resources', 'natural_resources', 'hq', 'other'] as const;
export const WARNING_STATES = ['active', 'updated', 'cancelled', 'expired'] as const;
export const WARNING_ORIGINS = ['cap', 'json', 'threshold', 'manual'] as const;
export const WARNING_AREA_MODES = ['geocodes', 'drawn', 'union'] as const;

export type WarningKind = (typeof WARNING_KINDS)[number];
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export type WarningIssuer = (typeof WARNING_ISSUERS)[number];
export type WarningState = (typeof WARNING_STATES)[number];
export type WarningOrigin = (typeof WARNING_ORIGINS)[number];
export type WarningAreaMode = (typeof WARNING_AREA_MODES)[number];

/** Outbox topics a warning change writes, in the same transaction as the change. */
export const WARNING_TOPICS = {
  raised: 'warning.raised',
  updated: 'warning.updated',
  cancelled: 'warning.cancelled',
  expired: 'warning.expired',
} as const;

export type WarningTopic = (typeof WARNING_TOPICS)[keyof typeof WARNING_TOPICS];

/**
 * What every `warning.*` outbox event carries, so a consumer need not read the warning back
 * (its areas: `WarningService.areasOf(warningId)`).
 */
export interface WarningEvent {
  warningId: string;
  identifier: string;
  sender: string;
  kind: WarningKind;
  level: WarningLevel | null;
  issuer: WarningIssuer;
  state: WarningState;
  origin: WarningOrigin;
  status: 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
  expires: string | null;
  /** From the primary (Chinese, else first) info: what people are told. */
  event: string;
  headline: string | null;
  description: string | null;
  instruction: string | null;
  /** warning.updated: the warnings this Update replaces. */
  replacesIds?: string[];
  /** warning.updated of a parked original: the Update that already replaced it. */
  replacedById?: string;
  /** warning.cancelled: the Cancel (or lifting Update) that ended it. */
  cancelledById?: string;
  /** warning.cancelled: ended by a lift (解除 / AllClear) rather than a plain Cancel. */
  lifted?: boolean;
  /**
   * warning.cancelled: why, in words people are told (the Cancel's note or headline, a
   * threshold's or an operator's reason). Every person called is sent it once.
   */
  reason?: string;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => isString(v) && (list as readonly string[]).includes(v);

/** An outbox payload as a `WarningEvent`, or undefined when it is not one (nothing is assumed). */
export function toWarningEvent(p: Record<string, unknown>): WarningEvent | undefined {
  if (!isString(p.warningId) || !isString(p.identifier) || !isString(p.sender)) return undefined;
  if (!oneOf(WARNING_KINDS, p.kind) || !(p.level === null || oneOf(WARNING_LEVELS, p.level))) return undefined;
  if (!oneOf(WARNING_ISSUERS, p.issuer) || !oneOf(WARNING_STATES, p.state) || !oneOf(WARNING_ORIGINS, p.origin)) return undefined;
  if (!oneOf(['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const, p.status)) return undefined;
  const ids = Array.isArray(p.replacesIds) && p.replacesIds.every(isString) ? p.replacesIds : undefined;
  return {
    warningId: p.warningId,
    identifier: p.identifier,
    sender: p.sender,
    kind: p.kind,
    level: p.level,
    issuer: p.issuer,
    state: p.state,
    origin: p.origin,
    status: p.status,
    expires: isString(p.expires) ? p.expires : null,
    event: isString(p.event) ? p.event : '',
    headline: isString(p.headline) ? p.headline : null,
    description: isString(p.description) ? p.description : null,
    instruction: isString(p.instruction) ? p.instruction : null,
    replacesIds: ids,
    replacedById: isString(p.replacedById) ? p.replacedById : undefined,
    cancelledById: isString(p.cancelledById) ? p.cancelledById : undefined,
    lifted: p.lifted === true ? true : undefined,
    reason: isString(p.reason) ? p.reason : undefined,
  };
}

export const WARNING_KINDS = ['rainstorm', 'typhoon', 'flash_flood', 'geo_hazard', 'river_flood', 'other'] as const;
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export const WARNING_ISSUERS = ['meteorology', 'water_resources', 'natural_resources', 'hq', 'other'] as const;
export const WARNING_STATES = ['active', 'updated', 'cancelled', 'expired'] as const;
export const WARNING_ORIGINS = ['cap', 'json', 'threshold', 'manual'] as const;

export type WarningKind = (typeof WARNING_KINDS)[number];
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export type WarningIssuer = (typeof WARNING_ISSUERS)[number];
export type WarningState = (typeof WARNING_STATES)[number];
export type WarningOrigin = (typeof WARNING_ORIGINS)[number];

/** Outbox topics a warning change writes, in the same transaction as the change. */
export const WARNING_TOPICS = {
  raised: 'warning.raised',
  updated: 'warning.updated',
  cancelled: 'warning.cancelled',
  expired: 'warning.expired',
} as const;

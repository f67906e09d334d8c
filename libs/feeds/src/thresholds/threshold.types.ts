import type { WarningKind, WarningLevel } from '../warnings/warning.types';
import type { HysteresisRules } from './threshold-hysteresis';

export const THRESHOLD_RULES = ['rainstorm', 'flash_flood'] as const;
export type ThresholdRule = (typeof THRESHOLD_RULES)[number];
export const DIRECTIONS = ['raise', 'upgrade', 'downgrade', 'lift'] as const;

/** Who our automatic changes are made by (warnings' createdBy, risk status changed_by). */
export const THRESHOLD_ACTOR = 'threshold';

/** One sum that went into a decision: a station, a window, its millimetres. */
export interface Evidence {
  stationCode: string;
  windowHours: number;
  mm: number;
}

/** A reading that was ok when the subject's level was reached and has been flagged suspect since. */
export interface WithdrawnEvidence {
  stationId: string;
  stationCode: string;
  observedAt: Date;
  mm: number;
  reason: string | null;
  flaggedAt: Date;
}

/** One subject to decide on: its rules, its sums now and what the warning it raises looks like. */
export interface Subject {
  rule: ThresholdRule;
  /** Town code or risk object code. */
  code: string;
  name: string;
  divisionCode: string;
  divisionPath: string;
  rules: HysteresisRules<string>;
  sums: Map<number, number>;
  evidence: Evidence[];
  /** The rain stations it speaks for (its town's, or the zone's nearest). */
  stationIds: string[];
  /** Readings of those stations flagged suspect after being stored ok (filled for subjects at a level). */
  withdrawn: WithdrawnEvidence[];
  kind: WarningKind;
  warningLevel: (level: string) => WarningLevel;
  event: string;
  headline: (level: string) => string;
}

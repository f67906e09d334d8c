import type { IncidentKind, ResponseLevel } from '@fangxun/config';

export const INCIDENT_STATUSES = ['proposed', 'active', 'ended', 'dismissed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** What a rule saw when it proposed (or suggested) a level. */
export interface ProposalRecord {
  rule: string;
  level: ResponseLevel;
  townCodes: string[];
  evidence: Record<string, unknown>;
  at: string;
}

/** A response (防汛 / 防台风) at a level over the whole city or named towns. */
export interface Incident {
  id: string;
  kind: IncidentKind;
  level: ResponseLevel;
  cityWide: boolean;
  /** Towns in scope (9-digit statistical codes); every town when city-wide. */
  townCodes: string[];
  /** Their division paths (ltree text), for area scoping. */
  townPaths: string[];
  /** 文号 of the launching document. */
  orderNo: string | null;
  title: string;
  status: IncidentStatus;
  source: 'rule' | 'manual';
  proposal: ProposalRecord | null;
  /** A rule's later proposal for an active incident (higher level or more towns), waiting for a commander. */
  suggestion: ProposalRecord | null;
  reportIntervalMinutes: number;
  nextReportDueAt: Date | null;
  /** The response's own wake-up campaign. */
  campaignId: string | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
  /** Optimistic lock: every commander's change names the version it saw. */
  version: number;
}

export const LEVEL_ACTIONS = ['propose', 'suggest', 'start', 'confirm', 'dismiss', 'raise', 'lower', 'widen', 'end'] as const;
export type LevelAction = (typeof LEVEL_ACTIONS)[number];

/** One line of the level history: who, when, why, from what to what, and what it re-scoped. */
export interface LevelChange {
  id: string;
  incidentId: string;
  action: LevelAction;
  fromLevel: ResponseLevel | null;
  toLevel: ResponseLevel | null;
  fromTowns: string[] | null;
  toTowns: string[] | null;
  cityWide: boolean;
  reason: string;
  byWho: string;
  byRole: string | null;
  at: Date;
  version: number;
  effects: Record<string, unknown>;
}

/** Who acted, as the history and the audit keep it. */
export interface Actor {
  who: string;
  role: string | null;
}

import type { ErrorDetail } from '@fangxun/common';
import type { DivisionLevel } from '@fangxun/registry';

/** City teams (市级, Linhai 58) answer to the city HQ; town teams (镇街, 19) to their town. */
export const TEAM_LEVELS = ['city', 'town'] as const;
export type TeamLevel = (typeof TEAM_LEVELS)[number];

export const TEAM_STATUSES = ['standby', 'deployed', 'resting', 'unavailable'] as const;
export type TeamStatus = (typeof TEAM_STATUSES)[number];

/** What a team can do; dispatch searches on these, so they are a fixed vocabulary (stored in this order). */
export const SPECIALITIES = [
  'water_rescue',
  'mountain_rescue',
  'medical',
  'engineering',
  'electric',
  'communications',
  'drone',
  'general',
] as const;
export type Speciality = (typeof SPECIALITIES)[number];

/** A city team is filed at the city division, a town team at its town. */
export function teamLevelProblem(level: TeamLevel, divisionLevel: DivisionLevel): ErrorDetail | undefined {
  return level === divisionLevel
    ? undefined
    : { field: 'level', problem: `a ${level} team is filed at the ${level} division, not at a ${divisionLevel}` };
}

export function sortSpecialities(list: readonly Speciality[]): Speciality[] {
  return SPECIALITIES.filter((s) => list.includes(s));
}

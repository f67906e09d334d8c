import type { ErrorDetail } from '@fangxun/common';
import type { DivisionLevel } from '@fangxun/registry';

/** 避灾安置场所 tiers (county/city centre, township centre, village point). */
export const SHELTER_TIERS = ['city', 'town', 'village'] as const;
export type ShelterTier = (typeof SHELTER_TIERS)[number];

/**
 * What a shelter offers, a fixed vocabulary so that "has a generator" can be counted across
 * the city. Stored in this order whatever order a form sends, so re-imports compare equal.
 */
export const FACILITIES = [
  'water',
  'power',
  'generator',
  'lighting',
  'toilets',
  'showers',
  'bedding',
  'kitchen',
  'medical',
  'accessible',
  'communications',
  'air_conditioning',
] as const;
export type Facility = (typeof FACILITIES)[number];

/**
 * The divisions each tier may be filed under. A city-level centre is run for the whole city
 * but often sits in a town (a school or gym in 古城街道), so it may be filed at the city or
 * at a town; a town centre at its town; a village point at its village. Grids hold no shelters.
 */
export const TIER_LEVELS: Record<ShelterTier, readonly DivisionLevel[]> = {
  city: ['city', 'town'],
  town: ['town'],
  village: ['village'],
};

export function tierProblem(tier: ShelterTier, level: DivisionLevel): ErrorDetail | undefined {
  const allowed = TIER_LEVELS[tier];
  return allowed.includes(level)
    ? undefined
    : { field: 'tier', problem: `a ${tier} shelter is filed at a ${allowed.join(' or ')}, not at a ${level}` };
}

export function sortFacilities(list: readonly Facility[]): Facility[] {
  return FACILITIES.filter((f) => list.includes(f));
}

import { GeoErrors } from '../geo.errors';
import type { PlaceProblem, ResolvedPlace } from '../point-features/place.resolver';
import type { ShelterWrite } from './shelter.repository';
import { sortFacilities, tierProblem } from './shelter-rules';

/** A shelter as a create, a patch merged onto the stored row, or an import feature describes it. */
export type ShelterInput = Omit<ShelterWrite, 'divisionId'> & { divisionCode: string };

/** Applies the shelter's own rule (tier fits the division level) on top of the place checks. */
export function toShelterWrite(input: ShelterInput, place: ResolvedPlace): { write?: ShelterWrite; problems: PlaceProblem[] } {
  const problems = [...place.problems];
  const tier = place.division && tierProblem(input.tier, place.division.level);
  if (tier) problems.push({ kind: GeoErrors.GeoRuleViolated, ...tier });
  if (problems.length || !place.division) return { problems };
  const { divisionCode: _code, ...rest } = input;
  return { write: { ...rest, divisionId: place.division.id, facilities: sortFacilities(input.facilities) }, problems };
}

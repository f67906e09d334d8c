import { GeoErrors } from '../geo.errors';
import type { PlaceProblem, ResolvedPlace } from '../point-features/place.resolver';
import type { TeamWrite } from './team.repository';
import { sortSpecialities, teamLevelProblem } from './team-rules';

export type TeamInput = Omit<TeamWrite, 'divisionId'> & { divisionCode: string };

/** Applies the team's own rule (level fits the division) on top of the place checks. */
export function toTeamWrite(input: TeamInput, place: ResolvedPlace): { write?: TeamWrite; problems: PlaceProblem[] } {
  const problems = [...place.problems];
  const level = place.division && teamLevelProblem(input.level, place.division.level);
  if (level) problems.push({ kind: GeoErrors.GeoRuleViolated, ...level });
  if (problems.length || !place.division) return { problems };
  const { divisionCode: _code, ...rest } = input;
  return { write: { ...rest, divisionId: place.division.id, specialities: sortSpecialities(input.specialities) }, problems };
}

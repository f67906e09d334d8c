import { sortSpecialities, teamLevelProblem } from './team-rules';

describe('rescue team levels', () => {
  it('files city teams at the city and town teams at a town, nothing else', () => {
    expect(teamLevelProblem('city', 'city')).toBeUndefined();
    expect(teamLevelProblem('town', 'town')).toBeUndefined();
    expect(teamLevelProblem('city', 'town')).toEqual({
      field: 'level',
      problem: 'a city team is filed at the city division, not at a town',
    });
    expect(teamLevelProblem('town', 'village')?.field).toBe('level');
    expect(teamLevelProblem('town', 'city')).toBeDefined();
  });

  it('keeps specialities in vocabulary order', () => {
    expect(sortSpecialities(['general', 'drone', 'water_rescue'])).toEqual(['water_rescue', 'drone', 'general']);
  });
});

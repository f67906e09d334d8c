import { sortFacilities, tierProblem } from './shelter-rules';

describe('shelter tiers fit the division level', () => {
  it('files a city centre at the city or in a town, a town centre at a town, a village point at a village', () => {
    expect(tierProblem('city', 'city')).toBeUndefined();
    expect(tierProblem('city', 'town')).toBeUndefined();
    expect(tierProblem('town', 'town')).toBeUndefined();
    expect(tierProblem('village', 'village')).toBeUndefined();
  });

  it('refuses the others, naming the tier', () => {
    expect(tierProblem('town', 'village')).toEqual({ field: 'tier', problem: 'a town shelter is filed at a town, not at a village' });
    expect(tierProblem('village', 'town')?.field).toBe('tier');
    expect(tierProblem('city', 'village')?.problem).toBe('a city shelter is filed at a city or town, not at a village');
    expect(tierProblem('village', 'grid')).toBeDefined();
  });

  it('keeps facilities in vocabulary order', () => {
    expect(sortFacilities(['medical', 'water', 'accessible'])).toEqual(['water', 'medical', 'accessible']);
  });
});

import type { EvacuationFacts } from '@fangxun/geo';
import { householdFaker, HouseholdPhoneBook, planHouseholds } from './household-plan';

const object = (o: Partial<EvacuationFacts>): EvacuationFacts => ({
  id: 'ro-1',
  code: 'FF-1',
  name: '某村山洪危险区',
  divisionPath: '331082.331082101',
  type: 'flash_flood_zone',
  divisionId: 'div-1',
  threatenedHouseholds: 0,
  threatenedPeople: 0,
  primaryHolderId: 'holder-a',
  backupHolderId: 'holder-b',
  shelterIds: ['shelter-1'],
  vulnerablePeople: [],
  ...o,
});
const helper = (i: number) => ({
  name: `弱${i}`,
  category: 'elderly' as const,
  needs: null,
  helperName: `帮${i}`,
  helperPhone: `+8613900008${String(i).padStart(3, '0')}`,
  helperHolderId: null,
});

describe('households planned for a risk object', () => {
  const plan = (o: EvacuationFacts) => {
    const faker = householdFaker(331082);
    return planHouseholds(o, 'div-1', faker, new HouseholdPhoneBook(faker, '+86199000', []));
  };

  it('add up to its threatened people in its registered number of households, each at least one person', () => {
    const hs = plan(object({ threatenedHouseholds: 12, threatenedPeople: 37 }));
    expect(hs).toHaveLength(12);
    expect(hs.reduce((s, h) => s + h.members, 0)).toBe(37);
    expect(Math.min(...hs.map((h) => h.members))).toBeGreaterThanOrEqual(1);
    expect(new Set(hs.map((h) => h.headPhone)).size).toBe(12);
    expect(hs.map((h) => h.responsibleHolderId).slice(0, 3)).toEqual(['holder-a', 'holder-b', 'holder-a']);
  });

  it('groups a site’s workers by 20 when no household count is registered', () => {
    const hs = plan(object({ type: 'construction_site', threatenedPeople: 185 }));
    expect(hs).toHaveLength(10);
    expect(hs.reduce((s, h) => s + h.members, 0)).toBe(185);
  });

  it('places every vulnerable person in a household with room for him, keeping his helper', () => {
    const hs = plan(object({ threatenedHouseholds: 3, threatenedPeople: 5, vulnerablePeople: [1, 2, 3, 4, 5].map(helper) }));
    expect(hs.flatMap((h) => h.vulnerable.map((v) => v.helperName)).sort()).toEqual(['帮1', '帮2', '帮3', '帮4', '帮5']);
    for (const h of hs) expect(h.vulnerable.length).toBeLessThanOrEqual(h.members);
  });

  it('is the same plan on every run', () => {
    const o = object({ threatenedHouseholds: 5, threatenedPeople: 14 });
    expect(plan(o)).toEqual(plan(o));
  });
});

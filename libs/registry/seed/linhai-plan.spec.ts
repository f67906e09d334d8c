import { backupProblem, holderKind, isChineseMobile, superiorProblem } from '@fangxun/registry';
import { buildLinhaiPlan, HolderKey, HolderSeed, LinhaiPlan, shareOut } from './linhai-plan';
import { CITY, loadTowns } from './linhai-source';

const towns = loadTowns();
const areas = Object.fromEntries(towns.map((t, i) => [t.code, 40 + 11 * i]));
const options = { randomSeed: 331082, fakePhonePrefix: '+86199000', rosterFrom: '2026-07-01' };

/** ltree paths from codes, as the registry stores them. */
function paths(plan: LinhaiPlan): Map<string, string> {
  const p = new Map<string, string>([[CITY.code, CITY.code]]);
  for (const t of towns) p.set(t.code, `${CITY.code}.${t.code}`);
  for (const d of [...plan.villages, ...plan.grids]) p.set(d.code, `${p.get(d.parentCode)}.${d.code}`);
  return p;
}

const id = (k: HolderKey) => `${k.divisionCode}|${k.role}|${k.mobile}`;

describe('Linhai seed plan', () => {
  const plan = buildLinhaiPlan(towns, areas, options);
  const all: HolderSeed[] = [...plan.holders.city, ...plan.holders.town, ...plan.holders.village, ...plan.holders.grid];
  const byKey = new Map(all.map((h) => [id(h), h]));
  const path = paths(plan);

  it('reads the 19 real towns/streets, 5 of them 街道', () => {
    expect(towns).toHaveLength(19);
    expect(towns.filter((t) => t.kind === 'street').map((t) => t.code)).toEqual([
      '331082001',
      '331082002',
      '331082003',
      '331082004',
      '331082005',
    ]);
    expect(towns.map((t) => t.code)).not.toContain('331082102');
  });

  it('has 305 villages with town-prefixed codes and 3–5 grids each', () => {
    expect(plan.villages).toHaveLength(305);
    for (const v of plan.villages) expect(v.code).toMatch(new RegExp(`^${v.parentCode}\\d{3}$`));
    const perVillage = new Map<string, number>();
    for (const g of plan.grids) {
      expect(g.code).toMatch(new RegExp(`^${g.parentCode}G\\d{2}$`));
      perVillage.set(g.parentCode, (perVillage.get(g.parentCode) ?? 0) + 1);
    }
    expect(Math.min(...perVillage.values())).toBeGreaterThanOrEqual(3);
    expect(Math.max(...perVillage.values())).toBeLessThanOrEqual(5);
    expect(new Set(plan.villages.map((v) => v.name)).size).toBe(305);
  });

  it('names exactly 667 administrative and 4,682 grid holders, plus the city leaders', () => {
    const kinds = all.map((h) => holderKind(h.role));
    expect(kinds.filter((k) => k === 'administrative')).toHaveLength(667);
    expect(kinds.filter((k) => k === 'grid')).toHaveLength(4682);
    expect(kinds.filter((k) => k === 'city')).toHaveLength(plan.holders.city.length);
  });

  it('gives everyone a unique fake Chinese mobile in the reserved range', () => {
    const phones = [...all.map((h) => h.mobile), ...plan.rosters.map((r) => r.dutyPhone)];
    expect(new Set(all.map((h) => h.mobile)).size).toBe(all.length);
    for (const p of phones) {
      expect(p.startsWith(options.fakePhonePrefix)).toBe(true);
      expect(isChineseMobile(p)).toBe(true);
    }
  });

  it('links every holder below the city to a superior one level up the 包保 chain, and a nearby backup', () => {
    const expectedSuperior = { town: 'city_leader', village: 'town_deputy', grid: 'village_head' } as const;
    for (const h of all) {
      const self = { divisionPath: path.get(h.divisionCode)! };
      if (h.role === 'city_leader') {
        expect(h.superior).toBeNull();
      } else {
        const s = byKey.get(id(h.superior!))!;
        expect(superiorProblem(self, { id: id(s), divisionPath: path.get(s.divisionCode)!, active: true })).toBeUndefined();
        const level = h.role.startsWith('town') ? 'town' : h.role.startsWith('village') ? 'village' : 'grid';
        expect(s.role).toBe(expectedSuperior[level]);
      }
      const b = byKey.get(id(h.backup!))!;
      expect(b).not.toBe(h);
      expect(backupProblem(self, { id: id(b), divisionPath: path.get(b.divisionCode)!, active: true })).toBeUndefined();
    }
  });

  it('plans a week of rosters for the city HQ and each town, a leader and 2 other officers a day', () => {
    expect(plan.rosters).toHaveLength(20 * 7);
    expect(new Set(plan.rosters.map((r) => r.dutyDate))).toEqual(
      new Set(['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-04', '2026-07-05', '2026-07-06', '2026-07-07']),
    );
    for (const r of plan.rosters) {
      expect(r.leader.role).toMatch(r.divisionCode === CITY.code ? /^city_leader$/ : /^town_(head|deputy)$/);
      expect(r.officers).toHaveLength(2);
      expect(new Set([id(r.leader), ...r.officers.map(id)]).size).toBe(3);
      for (const o of [r.leader, ...r.officers]) expect(o.divisionCode).toBe(r.divisionCode);
    }
  });

  it('is the same plan every time for the same seed, and another for another seed', () => {
    expect(buildLinhaiPlan(towns, areas, options)).toEqual(plan);
    const other = buildLinhaiPlan(towns, areas, { ...options, randomSeed: 1 });
    expect(other.holders.grid.map((h) => h.mobile)).not.toEqual(plan.holders.grid.map((h) => h.mobile));
  });

  it('shares villages out by weight with a floor, summing exactly', () => {
    expect(shareOut(10, [1, 1, 1], 2)).toEqual([4, 3, 3]);
    expect(
      shareOut(305, [36, 40, 68, 80, 85, 97, 149, 194, 143, 81, 197, 47, 83, 143, 123, 132, 183, 246, 138], 6).reduce((a, b) => a + b),
    ).toBe(305);
  });
});

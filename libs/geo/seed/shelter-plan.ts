import { type Facility, sortFacilities } from '@fangxun/geo';
import type { SeedDivision, ShelterSeed } from './geo-seed.model';
import { GEO_TARGETS, townClass } from './geo-seed.targets';
import type { PlanContext } from './people-plan';
import { stem } from './seed-frame';
import { apportion, pad, skewedInt, sum, weightedSample } from './seed-random';

/** City-level centres (市级避灾安置中心): the host 街道 and the name. */
const CITY_CENTRES: Array<[string, string]> = [
  ['331082001', '临海市城北避灾安置中心'],
  ['331082002', '临海市城东避灾安置中心'],
  ['331082003', '临海市江南避灾安置中心'],
  ['331082004', '临海市大田避灾安置中心'],
];
const TOWN_SITES = ['中心学校', '文化中心', '初级中学', '综合文化站', '敬老院'];
const VILLAGE_SITES = ['文化礼堂', '村委会', '小学', '老年活动中心', '祠堂'];

const CENTRE_FACILITIES: Facility[] = [
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
];
const POINT_FACILITIES: Facility[] = ['water', 'power', 'lighting', 'toilets', 'bedding'];
const POINT_EXTRAS: Facility[] = ['kitchen', 'generator', 'accessible', 'showers', 'communications'];

/**
 * 283 standard shelters for ~10,700 people (mid-2025 summary) in the provincial three tiers
 * (domain.md §2): four city-level centres of 200+ in the 街道 around the old city, one centre
 * of 100+ per town, and village points of 20–50 in 260 of the 305 villages (the 街道's 社区
 * lean on the centres). Capacities are drawn, then the village points are apportioned so the
 * city total is exactly GEO_TARGETS.shelters.capacity. Village points are run by the village's
 * 避灾场所管理员, centres by the town's flood liaison.
 */
export function planShelters(ctx: PlanContext): ShelterSeed[] {
  const { faker, frame } = ctx;
  const T = GEO_TARGETS.shelters;
  const city = CITY_CENTRES.slice(0, T.city).map(([townCode, name], i): ShelterSeed => ({
    code: `BZ-${townCode}-C${i + 1}`,
    name,
    tier: 'city',
    divisionCode: townCode,
    anchor: { area: townCode, group: 'shelter', marginM: 200 },
    capacity: faker.number.int({ min: 22, max: 36 }) * 10,
    managerId: frame.townHolder(townCode, 'town_liaison')?.id ?? null,
    facilities: sortFacilities([...CENTRE_FACILITIES, ...(faker.datatype.boolean() ? (['air_conditioning'] as Facility[]) : [])]),
  }));
  const town = frame.towns.slice(0, T.town).map((t): ShelterSeed => ({
    code: `BZ-${t.code}-01`,
    name: `${t.name}${faker.helpers.arrayElement(TOWN_SITES)}避灾安置中心`,
    tier: 'town',
    divisionCode: t.code,
    anchor: { area: t.code, group: 'shelter', marginM: 200 },
    capacity: skewedInt(faker, 10, 18, 1.3) * 10,
    managerId: frame.townHolder(t.code, 'town_liaison')?.id ?? null,
    facilities: sortFacilities(CENTRE_FACILITIES.filter((f) => f !== 'medical' || faker.datatype.boolean({ probability: 0.6 }))),
  }));
  const village = villagePoints(ctx, frame.villages(), T.capacity - sum([...city, ...town].map((s) => s.capacity)));
  return [...city, ...town, ...village];
}

function villagePoints(ctx: PlanContext, villages: SeedDivision[], capacity: number): ShelterSeed[] {
  const { faker, frame } = ctx;
  const n = GEO_TARGETS.shelters.village;
  // Rural villages first; 社区 in the 街道 are the likeliest to have no point of their own.
  const hosts = weightedSample(
    faker,
    villages,
    (v) => (townClass(v.parentCode!) === 'urban' && v.name.endsWith('社区') ? 0.15 : 1),
    n,
  ).sort((a, b) => a.code.localeCompare(b.code));
  const weights = hosts.map(() => faker.number.float({ min: 0, max: 1 }) ** 2.5);
  const caps = apportion(capacity, weights, 20, 50);
  return hosts.map((v, i): ShelterSeed => {
    const manager = frame.childrenOf(v.code).flatMap((g) => frame.holders(g.code, 'shelter_manager'))[0] ?? frame.villageLead(v.code);
    return {
      code: `BZ-${v.code}-${pad(1, 2)}`,
      name: `${stem(v.name)}${faker.helpers.arrayElement(VILLAGE_SITES)}避灾安置点`,
      tier: 'village',
      divisionCode: v.code,
      anchor: { area: v.code, group: 'shelter', marginM: 30 },
      capacity: caps[i],
      managerId: manager?.id ?? null,
      facilities: sortFacilities([...POINT_FACILITIES, ...faker.helpers.arrayElements(POINT_EXTRAS, { min: 0, max: 3 })]),
    };
  });
}

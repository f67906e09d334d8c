import { sortSpecialities, type Speciality, type StockCategory } from '@fangxun/geo';
import type { DepotSeed, SeedDivision, StockSeed, TeamSeed } from './geo-seed.model';
import { CITY_CODE, GEO_TARGETS, townClass } from './geo-seed.targets';
import type { PlanContext } from './people-plan';
import { apportion, chineseNumber, pad, personName } from './seed-random';

/** 58 city teams by kind: how many, their name, what they do, a typical size (scaled to 1,130 in all). */
const CITY_TEAM_KINDS: Array<{
  n: number;
  name: (i: number, town: SeedDivision) => string;
  spec: Speciality[];
  size: [number, number];
  bases?: string[];
}> = [
  {
    n: 5,
    name: (_, t) => `临海市${t.name.slice(0, 2)}消防救援站`,
    spec: ['water_rescue', 'mountain_rescue', 'general'],
    size: [25, 40],
    bases: ['331082001', '331082002', '331082112', '331082101', '331082106'],
  },
  { n: 6, name: (i) => `临海市水利抢险${chineseNumber(i)}分队`, spec: ['engineering', 'water_rescue'], size: [15, 30] },
  { n: 8, name: (i) => `临海市民兵应急${chineseNumber(i)}排`, spec: ['general', 'water_rescue'], size: [15, 30] },
  { n: 5, name: (i) => `临海供电抢修${chineseNumber(i)}队`, spec: ['electric'], size: [10, 25] },
  { n: 4, name: (i) => `临海通信保障${chineseNumber(i)}队`, spec: ['communications'], size: [8, 15] },
  { n: 5, name: (i) => `临海市医疗救护${chineseNumber(i)}队`, spec: ['medical'], size: [10, 20] },
  { n: 4, name: (i) => `临海市公路抢通${chineseNumber(i)}队`, spec: ['engineering'], size: [15, 30] },
  {
    n: 6,
    name: (i) => `临海市${['蓝鲸', '海鹰', '山鹰', '灵江', '括苍', '东海'][i - 1]}救援队`,
    spec: ['water_rescue', 'mountain_rescue', 'drone'],
    size: [15, 40],
  },
  { n: 5, name: (i) => `临海市城区排涝${chineseNumber(i)}队`, spec: ['engineering'], size: [10, 25] },
  { n: 2, name: (i) => `临海市无人机侦察${chineseNumber(i)}队`, spec: ['drone', 'communications'], size: [6, 12] },
  { n: 4, name: (i) => `临海市建设集团抢险${chineseNumber(i)}队`, spec: ['engineering', 'general'], size: [20, 40] },
  { n: 4, name: (i) => `临海市供水燃气抢修${chineseNumber(i)}队`, spec: ['engineering'], size: [8, 15] },
];

/**
 * 58 city teams with 1,130 members and 19 town teams with 1,368 (mid-2025 summary, exact). City
 * teams are filed at the city and based across the towns (fire stations and water-rescue teams
 * where the water is); a town team is based in its town. Contacts get fake phones.
 */
export function planTeams(ctx: PlanContext): TeamSeed[] {
  const { faker, frame, phones } = ctx;
  const T = GEO_TARGETS.teams;
  const towns = frame.towns;
  const urban = towns.filter((t) => townClass(t.code) === 'urban');
  const raw: Array<Omit<TeamSeed, 'members'> & { size: number }> = [];
  let k = 0;
  for (const kind of CITY_TEAM_KINDS) {
    for (let i = 1; i <= kind.n; i++) {
      // Every other team sits in a 街道 near the HQ, the rest spread over the towns in turn.
      const base = kind.bases
        ? frame.division(kind.bases[i - 1])
        : k % 2 === 0
          ? urban[(k / 2) % urban.length]
          : towns[(k * 7) % towns.length];
      raw.push({
        code: `JY-LH-${pad(++k, 3)}`,
        name: kind.name(i, base),
        level: 'city',
        divisionCode: CITY_CODE,
        anchor: { area: base.code, group: 'team', marginM: 150 },
        specialities: sortSpecialities(kind.spec),
        contactName: personName(faker),
        contactPhone: phones.next(),
        size: faker.number.int({ min: kind.size[0], max: kind.size[1] }),
      });
    }
  }
  if (raw.length !== T.city.count) throw new Error(`planned ${raw.length} city teams, expected ${T.city.count}`);
  const cityMembers = apportion(
    T.city.members,
    raw.map((r) => r.size),
    6,
  );
  const city = raw.map(({ size: _size, ...t }, i): TeamSeed => ({ ...t, members: cityMembers[i] }));

  const townWeights = towns.map((t) => frame.childrenOf(t.code).length + (townClass(t.code) === 'coastal' ? 6 : 0));
  const townMembers = apportion(T.town.members, townWeights, 40);
  const town = towns.slice(0, T.town.count).map((t, i): TeamSeed => ({
    code: `JY-${t.code}`,
    name: `${t.name}应急救援队`,
    level: 'town',
    divisionCode: t.code,
    anchor: { area: t.code, group: 'team', marginM: 150 },
    members: townMembers[i],
    specialities: sortSpecialities([
      'general',
      'water_rescue',
      ...(townClass(t.code) === 'mountain' ? (['mountain_rescue'] as Speciality[]) : []),
    ]),
    contactName: personName(faker),
    contactPhone: phones.next(),
  }));
  return [...city, ...town];
}

/** Items of the depots: category, item, unit, the city total (exact where the summary gives one), the city depot's share. */
const ITEMS: Array<[StockCategory, string, string, number, number]> = [
  ['boats', '冲锋舟', '艘', 110, 0.3],
  ['boats', '橡皮艇', '艘', 60, 0.3],
  ['communications', '卫星电话', '部', 793, 0.25],
  ['communications', '对讲机', '部', 620, 0.2],
  ['lighting', '应急照明灯', '盏', 7000, 0.2],
  ['lighting', '强光手电', '只', 10_200, 0.2],
  ['lighting', '头灯', '个', 4200, 0.2],
  ['lighting', '移动照明灯塔', '台', 200, 0.4],
  ['pumps', '潜水泵', '台', 420, 0.3],
  ['pumps', '移动泵车', '辆', 12, 1],
  ['power', '发电机', '台', 260, 0.3],
  ['rescue_gear', '救生衣', '件', 8200, 0.25],
  ['rescue_gear', '救生圈', '个', 1600, 0.25],
  ['rescue_gear', '编织袋', '只', 150_000, 0.3],
  ['shelter_goods', '折叠床', '张', 3200, 0.3],
  ['shelter_goods', '棉被', '床', 5600, 0.3],
];

/**
 * The city depot and one depot per town. Each item's city total is split: a share to the city
 * depot, the rest over the towns by size (boats lean to the coast and the 大田 plain). Totals
 * come out exact: 170 boats, 793 satellite phones, 21,600 lighting items.
 */
export function planDepots(ctx: PlanContext): DepotSeed[] {
  const { frame } = ctx;
  const towns = frame.towns;
  const weightFor = (category: StockCategory, t: SeedDivision) =>
    frame.childrenOf(t.code).length * (category === 'boats' && (townClass(t.code) === 'coastal' || t.code === '331082004') ? 2 : 1);
  const split = ITEMS.map(([category, , , total, cityShare]) => {
    const cityPart = Math.round(total * cityShare);
    return [
      cityPart,
      ...apportion(
        total - cityPart,
        towns.map((t) => weightFor(category, t)),
      ),
    ];
  });
  const stockOf = (d: number): StockSeed[] =>
    ITEMS.map(([category, item, unit], i) => ({ category, item, unit, quantity: split[i][d] })).filter((s) => s.quantity > 0);
  const cityHost = towns.find((t) => t.code === '331082002') ?? towns[0];
  return [
    {
      code: `CK-${CITY_CODE}-01`,
      name: '临海市防汛抗旱物资储备仓库',
      divisionCode: CITY_CODE,
      anchor: { area: cityHost.code, group: 'depot', marginM: 200 },
      managerId: frame.townHolder(cityHost.code, 'town_liaison')?.id ?? null,
      stock: stockOf(0),
    },
    ...towns.map((t, i): DepotSeed => ({
      code: `CK-${t.code}-01`,
      name: `${t.name}防汛物资仓库`,
      divisionCode: t.code,
      anchor: { area: t.code, group: 'depot', marginM: 200 },
      managerId: frame.townHolder(t.code, 'town_liaison')?.id ?? null,
      stock: stockOf(i + 1),
    })),
  ];
}

/** The stock totals the summary quotes, for the seed's own check and its printout. */
export function stockTotals(depots: DepotSeed[]): { boats: number; satellitePhones: number; lighting: number } {
  const all = depots.flatMap((d) => d.stock);
  const total = (f: (s: StockSeed) => boolean) => all.filter(f).reduce((a, s) => a + s.quantity, 0);
  return {
    boats: total((s) => s.category === 'boats'),
    satellitePhones: total((s) => s.item === '卫星电话'),
    lighting: total((s) => s.category === 'lighting'),
  };
}

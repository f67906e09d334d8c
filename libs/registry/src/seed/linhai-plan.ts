import { base, Faker, zh_CN } from '@faker-js/faker';
import type { DivisionLevel } from '../entities/division.entity';
import type { HolderRole } from '../entities/holder.entity';
import { FakePhoneBook } from './fake-phone-book';
import { CITY, TownSource } from './linhai-source';
import { gridName, personName, VillageNamer } from './seed-names';

/**
 * What the Linhai seed creates, built in memory from the seed number alone (no clock, no
 * database reads other than the towns' areas), so every run produces the same plan.
 * The holder totals are the Linhai EMB's mid-2025 figures (domain.md §1): 667 town/village
 * administrative holders and 4,682 grid holders; ~305 villages is our own round number.
 */
export const LINHAI_TARGETS = {
  villages: 305,
  minVillagesPerTown: 6,
  gridsPerVillage: { min: 3, max: 5 },
  /** City leaders who each 包 a few towns (包镇); they top the chain and are not counted in 667. */
  cityLeaders: 7,
  /** A town deputy 包村 for at most this many villages. */
  villagesPerDeputy: 8,
  administrativeHolders: 667,
  gridHolders: 4682,
  appointedYear: 2026,
  rosterDays: 7,
  /** Share of a 街道's units that are urban 社区 rather than villages. */
  streetCommunityShare: 0.4,
} as const;

export interface SeedOptions {
  randomSeed: number;
  fakePhonePrefix: string;
  /** First duty day, YYYY-MM-DD; rosters cover LINHAI_TARGETS.rosterDays days from it. */
  rosterFrom: string;
}

/** Children of one parent division: PostGIS scatters `count` seeded points in the parent and cuts it into Voronoi cells. */
export interface PartitionSeed {
  parentCode: string;
  count: number;
  /** ST_GeneratePoints seed (> 0). */
  pointSeed: number;
}

export interface ChildDivisionSeed {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string;
  /** 1-based: the child takes the cell of the parent's ordinal-th point in spatial order. */
  ordinal: number;
}

/** The appointment key of responsibility_holders: (division, role, mobile). */
export interface HolderKey {
  divisionCode: string;
  role: HolderRole;
  mobile: string;
}

export interface HolderSeed extends HolderKey {
  name: string;
  superior: HolderKey | null;
  backup: HolderKey | null;
}

export interface RosterSeed {
  divisionCode: string;
  dutyDate: string;
  leader: HolderKey;
  officers: HolderKey[];
  dutyPhone: string;
  notes: string;
}

export interface LinhaiPlan {
  villagePartitions: PartitionSeed[];
  villages: ChildDivisionSeed[];
  gridPartitions: PartitionSeed[];
  grids: ChildDivisionSeed[];
  /** One list per division level, superiors before subordinates. */
  holders: { city: HolderSeed[]; town: HolderSeed[]; village: HolderSeed[]; grid: HolderSeed[] };
  rosters: RosterSeed[];
}

const GRID_EXTRA_ROLES: HolderRole[] = ['flash_flood_warner', 'geo_hazard_observer'];

/** Seed for ST_GeneratePoints in one parent: stable per (random seed, code), always > 0. */
export function pointSeed(randomSeed: number, code: string): number {
  let h = 0x811c9dc5 ^ randomSeed;
  for (const ch of `${randomSeed}:${code}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return ((h >>> 1) % 2_000_000_000) + 1;
}

/**
 * Builds the whole plan. `townAreasKm2` are the synthetic town cells' areas: villages are
 * shared out by area, so a big mountain town gets more villages than a small 街道.
 */
export function buildLinhaiPlan(towns: TownSource[], townAreasKm2: Record<string, number>, opts: SeedOptions): LinhaiPlan {
  const T = LINHAI_TARGETS;
  const faker = new Faker({ locale: [zh_CN, base] });
  faker.seed(opts.randomSeed);
  const namer = new VillageNamer(faker);

  // Divisions: villages by area, grids 3–5 per village.
  const villageCounts = shareOut(
    T.villages,
    towns.map((t) => Math.max(1, Math.round(townAreasKm2[t.code] ?? 0))),
    T.minVillagesPerTown,
  );
  const villagePartitions: PartitionSeed[] = [];
  const villages: ChildDivisionSeed[] = [];
  const villagesOf = new Map<string, ChildDivisionSeed[]>();
  towns.forEach((town, i) => {
    const n = villageCounts[i];
    villagePartitions.push({ parentCode: town.code, count: n, pointSeed: pointSeed(opts.randomSeed, town.code) });
    const communities = town.kind === 'street' ? Math.round(n * T.streetCommunityShare) : 0;
    const list = range(n).map((j) => ({
      code: `${town.code}${pad(j + 1, 3)}`,
      name: j < communities ? namer.community() : namer.village(),
      level: 'village' as const,
      parentCode: town.code,
      ordinal: j + 1,
    }));
    villagesOf.set(town.code, list);
    villages.push(...list);
  });
  const gridPartitions: PartitionSeed[] = [];
  const grids: ChildDivisionSeed[] = [];
  const gridsOf = new Map<string, ChildDivisionSeed[]>();
  for (const village of villages) {
    const n = faker.number.int(T.gridsPerVillage);
    gridPartitions.push({ parentCode: village.code, count: n, pointSeed: pointSeed(opts.randomSeed, village.code) });
    const list = range(n).map((k) => ({
      code: `${village.code}G${pad(k + 1, 2)}`,
      name: gridName(village.name, k + 1),
      level: 'grid' as const,
      parentCode: village.code,
      ordinal: k + 1,
    }));
    gridsOf.set(village.code, list);
    grids.push(...list);
  }

  // How many of each appointment, before anyone is named.
  const deputiesOf = towns.map((t) => Math.ceil(villagesOf.get(t.code)!.length / T.villagesPerDeputy));
  const cadres = T.administrativeHolders - (2 * towns.length + sum(deputiesOf) + villages.length);
  if (cadres < 0) throw new Error(`${T.administrativeHolders} administrative holders are too few for ${villages.length} villages`);
  const cadresOf = spread(
    cadres,
    villages.map((v) => v.code),
    faker,
  );
  const gridRoles = new Map<string, HolderRole[]>(grids.map((g) => [g.code, ['patroller', 'dilapidated_house_liaison']]));
  for (const v of villages) gridRoles.get(gridsOf.get(v.code)![0].code)!.push('shelter_manager');
  const extra = T.gridHolders - (2 * grids.length + villages.length);
  if (extra < 0) throw new Error(`${T.gridHolders} grid holders are too few for ${grids.length} grids`);
  GRID_EXTRA_ROLES.forEach((role, r) => {
    const share = Math.floor(extra / GRID_EXTRA_ROLES.length) + (r < extra % GRID_EXTRA_ROLES.length ? 1 : 0);
    const order = faker.helpers.shuffle(grids.map((g) => g.code));
    for (let i = 0; i < share; i++) gridRoles.get(order[i % order.length])!.push(role);
  });

  // People: names and phones in a fixed order.
  const phones = new FakePhoneBook(faker, opts.fakePhonePrefix);
  const person = (role: HolderRole, divisionCode: string, superior: HolderKey | null): HolderSeed => ({
    divisionCode,
    role,
    mobile: phones.next(),
    name: personName(faker),
    superior,
    backup: null,
  });
  const city = range(T.cityLeaders).map(() => person('city_leader', CITY.code, null));
  city.forEach((h, k) => (h.backup = key(city[(k + 1) % city.length])));

  const town: HolderSeed[] = [];
  const village: HolderSeed[] = [];
  const grid: HolderSeed[] = [];
  const townTeams: Array<{ head: HolderSeed; deputies: HolderSeed[]; liaison: HolderSeed }> = [];
  towns.forEach((t, i) => {
    const leader = key(city[i % city.length]);
    const head = person('town_head', t.code, leader);
    const deputies = range(deputiesOf[i]).map(() => person('town_deputy', t.code, leader));
    const liaison = person('town_liaison', t.code, leader);
    head.backup = key(deputies[0]);
    deputies.forEach((d, k) => (d.backup = key(deputies.length > 1 ? deputies[(k + 1) % deputies.length] : head)));
    liaison.backup = key(deputies[deputies.length - 1]);
    town.push(head, ...deputies, liaison);
    townTeams.push({ head, deputies, liaison });

    const vs = villagesOf.get(t.code)!;
    const heads: HolderSeed[] = [];
    vs.forEach((v, j) => {
      const deputy = key(deputies[Math.floor((j * deputies.length) / vs.length)]);
      const vhead = person('village_head', v.code, deputy);
      const vcadres = range(cadresOf.get(v.code)!).map(() => person('village_cadre', v.code, deputy));
      vcadres.forEach((c) => (c.backup = key(vhead)));
      if (vcadres.length) vhead.backup = key(vcadres[0]);
      heads.push(vhead);
      village.push(vhead, ...vcadres);
      grid.push(...gridHolders(gridsOf.get(v.code)!, gridRoles, key(vhead), person));
    });
    // A village head without a cadre is backed by the head of the next village of the town (AB岗).
    heads.forEach((h, j) => (h.backup ??= key(heads[(j + 1) % heads.length])));
  });

  const rosters: RosterSeed[] = [];
  const dutyPhones = new Map([CITY.code, ...towns.map((t) => t.code)].map((c) => [c, phones.next()]));
  for (let d = 0; d < T.rosterDays; d++) {
    const dutyDate = addDays(opts.rosterFrom, d);
    const n = dayNumber(dutyDate);
    const notes = '汛期24小时值班，带班领导在岗在位';
    rosters.push({
      divisionCode: CITY.code,
      dutyDate,
      leader: key(city[n % city.length]),
      officers: [key(city[(n + 1) % city.length]), key(city[(n + 2) % city.length])],
      dutyPhone: dutyPhones.get(CITY.code)!,
      notes,
    });
    towns.forEach((t, i) => {
      const team = townTeams[i];
      const pool = [team.head, ...team.deputies];
      rosters.push({
        divisionCode: t.code,
        dutyDate,
        leader: key(pool[(n + i) % pool.length]),
        officers: [key(team.liaison), key(pool[(n + i + 1) % pool.length])],
        dutyPhone: dutyPhones.get(t.code)!,
        notes,
      });
    });
  }

  return { villagePartitions, villages, gridPartitions, grids, holders: { city, town, village, grid }, rosters };
}

/** Grid holders of one village, grid by grid; each backs up to the same role in the next grid (AB岗). */
function gridHolders(
  grids: ChildDivisionSeed[],
  roles: Map<string, HolderRole[]>,
  villageHead: HolderKey,
  person: (role: HolderRole, divisionCode: string, superior: HolderKey | null) => HolderSeed,
): HolderSeed[] {
  const byGrid = grids.map((g) => roles.get(g.code)!.map((role) => person(role, g.code, villageHead)));
  byGrid.forEach((holders, gi) => {
    for (const h of holders) {
      const sameRole = range(grids.length - 1)
        .map((step) => byGrid[(gi + 1 + step) % grids.length].find((o) => o.role === h.role))
        .find((o): o is HolderSeed => !!o);
      // A village's only shelter manager is covered by the patroller of the same grid.
      h.backup = key(sameRole ?? holders.find((o) => o.role === 'patroller' && o !== h)!);
    }
  });
  return byGrid.flat();
}

function key(h: HolderKey): HolderKey {
  return { divisionCode: h.divisionCode, role: h.role, mobile: h.mobile };
}

/** Largest-remainder share of `total` by `weights`, each share at least `min`; ties go to the earlier entry. */
export function shareOut(total: number, weights: number[], min: number): number[] {
  const free = total - min * weights.length;
  if (free < 0) throw new Error(`cannot give ${weights.length} parts at least ${min} of ${total}`);
  const w = sum(weights);
  const exact = weights.map((x) => (free * x) / w);
  const out = exact.map((x) => min + Math.floor(x));
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  const left = total - sum(out);
  for (let k = 0; k < left; k++) out[order[k].i]++;
  return out;
}

/** `count` spread as evenly as possible over `codes`; the remainder goes to a seeded random few. */
function spread(count: number, codes: string[], faker: Faker): Map<string, number> {
  const each = Math.floor(count / codes.length);
  const lucky = new Set(faker.helpers.shuffle([...codes]).slice(0, count % codes.length));
  return new Map(codes.map((c) => [c, each + (lucky.has(c) ? 1 : 0)]));
}

function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`rosterFrom must be YYYY-MM-DD, got ${date}`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Days since 1970-01-01: rotations depend on the date itself, not on when the seed ran. */
function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

import { base, Faker, zh_CN } from '@faker-js/faker';
import { FakePhoneBook } from './fake-phone-book';
import { planHolders, TownTeam } from './linhai-holders';
import { DivisionPlan, HolderSeed, LINHAI_TARGETS, LinhaiPlan, RosterSeed, SeedOptions } from './linhai-plan.model';
import { CITY, TownSource } from './linhai-source';
import { gridName, VillageNamer } from './seed-names';
import { addDays, dayNumber, holderKey as key, pad, range, sum } from './seed-util';

export * from './linhai-plan.model';

/** Seed for ST_GeneratePoints in one parent: stable per (random seed, code), always > 0. */
export function pointSeed(randomSeed: number, code: string): number {
  let h = 0x811c9dc5 ^ randomSeed;
  for (const ch of `${randomSeed}:${code}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return ((h >>> 1) % 2_000_000_000) + 1;
}

/**
 * Builds the whole plan. `townAreasKm2` are the synthetic town cells' areas: villages are
 * shared out by area, so a big mountain town gets more villages than a small 街道. One seeded
 * faker feeds every step, in a fixed order: divisions, then people, then duty lines.
 */
export function buildLinhaiPlan(towns: TownSource[], townAreasKm2: Record<string, number>, opts: SeedOptions): LinhaiPlan {
  const faker = new Faker({ locale: [zh_CN, base] });
  faker.seed(opts.randomSeed);
  const divisions = planDivisions(towns, townAreasKm2, faker, opts.randomSeed);
  const phones = new FakePhoneBook(faker, opts.fakePhonePrefix);
  const { holders, teams } = planHolders(towns, divisions, faker, phones);
  return {
    villagePartitions: divisions.villagePartitions,
    villages: divisions.villages,
    gridPartitions: divisions.gridPartitions,
    grids: divisions.grids,
    holders,
    rosters: planRosters(towns, holders.city, teams, phones, opts.rosterFrom),
  };
}

/** Villages (and 社区 in the 街道) shared out by town area, then 3–5 grids per village. */
function planDivisions(towns: TownSource[], townAreasKm2: Record<string, number>, faker: Faker, randomSeed: number): DivisionPlan {
  const T = LINHAI_TARGETS;
  const namer = new VillageNamer(faker);
  const weights = towns.map((t) => Math.max(1, Math.round(townAreasKm2[t.code] ?? 0)));
  const villageCounts = shareOut(T.villages, weights, T.minVillagesPerTown);
  const plan: DivisionPlan = {
    villagePartitions: [],
    villages: [],
    villagesOf: new Map(),
    gridPartitions: [],
    grids: [],
    gridsOf: new Map(),
  };
  towns.forEach((town, i) => {
    const n = villageCounts[i];
    const communities = town.kind === 'street' ? Math.round(n * T.streetCommunityShare) : 0;
    const list = range(n).map((j) => ({
      code: `${town.code}${pad(j + 1, 3)}`,
      name: j < communities ? namer.community() : namer.village(),
      level: 'village' as const,
      parentCode: town.code,
      ordinal: j + 1,
    }));
    plan.villagePartitions.push({ parentCode: town.code, count: n, pointSeed: pointSeed(randomSeed, town.code) });
    plan.villagesOf.set(town.code, list);
    plan.villages.push(...list);
  });
  for (const village of plan.villages) {
    const n = faker.number.int(T.gridsPerVillage);
    const list = range(n).map((k) => ({
      code: `${village.code}G${pad(k + 1, 2)}`,
      name: gridName(village.name, k + 1),
      level: 'grid' as const,
      parentCode: village.code,
      ordinal: k + 1,
    }));
    plan.gridPartitions.push({ parentCode: village.code, count: n, pointSeed: pointSeed(randomSeed, village.code) });
    plan.gridsOf.set(village.code, list);
    plan.grids.push(...list);
  }
  return plan;
}

/**
 * A week of duty (值班) for the city HQ and each town. Who is on duty depends on the date
 * itself (days since 1970), not on when the seed ran: the city's leaders rotate, and in a
 * town the head and deputies take turns leading with the liaison always on the officers' list.
 */
function planRosters(
  towns: TownSource[],
  cityLeaders: HolderSeed[],
  teams: TownTeam[],
  phones: FakePhoneBook,
  rosterFrom: string,
): RosterSeed[] {
  const dutyPhones = new Map([CITY.code, ...towns.map((t) => t.code)].map((c) => [c, phones.next()]));
  const notes = '汛期24小时值班，带班领导在岗在位';
  const rosters: RosterSeed[] = [];
  for (let d = 0; d < LINHAI_TARGETS.rosterDays; d++) {
    const dutyDate = addDays(rosterFrom, d);
    const n = dayNumber(dutyDate);
    const at = (k: number) => key(cityLeaders[(n + k) % cityLeaders.length]);
    rosters.push({
      divisionCode: CITY.code,
      dutyDate,
      leader: at(0),
      officers: [at(1), at(2)],
      dutyPhone: dutyPhones.get(CITY.code)!,
      notes,
    });
    towns.forEach((t, i) => {
      const pool = [teams[i].head, ...teams[i].deputies];
      rosters.push({
        divisionCode: t.code,
        dutyDate,
        leader: key(pool[(n + i) % pool.length]),
        officers: [key(teams[i].liaison), key(pool[(n + i + 1) % pool.length])],
        dutyPhone: dutyPhones.get(t.code)!,
        notes,
      });
    });
  }
  return rosters;
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

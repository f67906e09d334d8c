import type { Faker } from '@faker-js/faker';
import type { HolderRole } from '@fangxun/registry';
import type { FakePhoneBook } from './fake-phone-book';
import { ChildDivisionSeed, DivisionPlan, HolderKey, HolderSeed, LINHAI_TARGETS, LinhaiPlan } from './linhai-plan.model';
import { CITY, TownSource } from './linhai-source';
import { personName } from './seed-names';
import { holderKey as key, range, sum } from './seed-util';

/** A town's leadership, for its duty roster. */
export interface TownTeam {
  head: HolderSeed;
  deputies: HolderSeed[];
  liaison: HolderSeed;
}

type Person = (role: HolderRole, divisionCode: string, superior: HolderKey | null) => HolderSeed;

const GRID_EXTRA_ROLES: HolderRole[] = ['flash_flood_warner', 'geo_hazard_observer'];

/**
 * Everyone in the 包保 chain, and their backups (AB岗):
 * - city leaders (包镇) top the chain; each takes every 7th town;
 * - a town has a head, one deputy per ≤ 8 villages (包村) and a flood liaison, all under their city leader;
 * - a village has a head and cadres, under the deputy who 包 it;
 * - every grid has a patroller and a dilapidated-house liaison, the first grid of a village its
 *   shelter manager, and the rest of the 4,682 are flash-flood warners and geo-hazard observers
 *   spread over grids; all answer to their village head.
 * The administrative total (667) is made exact by the number of cadres.
 */
export function planHolders(
  towns: TownSource[],
  divisions: DivisionPlan,
  faker: Faker,
  phones: FakePhoneBook,
): { holders: LinhaiPlan['holders']; teams: TownTeam[] } {
  const T = LINHAI_TARGETS;
  const { villages, villagesOf, gridsOf } = divisions;
  const deputiesOf = towns.map((t) => Math.ceil(villagesOf.get(t.code)!.length / T.villagesPerDeputy));
  const cadres = T.administrativeHolders - (2 * towns.length + sum(deputiesOf) + villages.length);
  if (cadres < 0) throw new Error(`${T.administrativeHolders} administrative holders are too few for ${villages.length} villages`);
  const cadresOf = spread(
    cadres,
    villages.map((v) => v.code),
    faker,
  );
  const gridRoles = planGridRoles(divisions, faker);

  const person: Person = (role, divisionCode, superior) => ({
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
  const teams: TownTeam[] = [];
  towns.forEach((t, i) => {
    const leader = key(city[i % city.length]);
    const head = person('town_head', t.code, leader);
    const deputies = range(deputiesOf[i]).map(() => person('town_deputy', t.code, leader));
    const liaison = person('town_liaison', t.code, leader);
    head.backup = key(deputies[0]);
    deputies.forEach((d, k) => (d.backup = key(deputies.length > 1 ? deputies[(k + 1) % deputies.length] : head)));
    liaison.backup = key(deputies[deputies.length - 1]);
    town.push(head, ...deputies, liaison);
    teams.push({ head, deputies, liaison });

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
    // A village head without a cadre is backed by the head of the next village of the town.
    heads.forEach((h, j) => (h.backup ??= key(heads[(j + 1) % heads.length])));
  });
  if (grid.length !== T.gridHolders || town.length + village.length !== T.administrativeHolders) {
    throw new Error(`plan has ${town.length + village.length} administrative and ${grid.length} grid holders`);
  }
  return { holders: { city, town, village, grid }, teams };
}

/** The roles to fill in each grid, in order. */
function planGridRoles(divisions: DivisionPlan, faker: Faker): Map<string, HolderRole[]> {
  const { villages, grids, gridsOf } = divisions;
  const roles = new Map<string, HolderRole[]>(grids.map((g) => [g.code, ['patroller', 'dilapidated_house_liaison']]));
  for (const v of villages) roles.get(gridsOf.get(v.code)![0].code)!.push('shelter_manager');
  const extra = LINHAI_TARGETS.gridHolders - (2 * grids.length + villages.length);
  if (extra < 0) throw new Error(`${LINHAI_TARGETS.gridHolders} grid holders are too few for ${grids.length} grids`);
  GRID_EXTRA_ROLES.forEach((role, r) => {
    const share = Math.floor(extra / GRID_EXTRA_ROLES.length) + (r < extra % GRID_EXTRA_ROLES.length ? 1 : 0);
    const order = faker.helpers.shuffle(grids.map((g) => g.code));
    for (let i = 0; i < share; i++) roles.get(order[i % order.length])!.push(role);
  });
  return roles;
}

/** Grid holders of one village, grid by grid; each backs up to the same role in the next grid. */
function gridHolders(grids: ChildDivisionSeed[], roles: Map<string, HolderRole[]>, villageHead: HolderKey, person: Person): HolderSeed[] {
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

/** `count` spread as evenly as possible over `codes`; the remainder goes to a seeded random few. */
function spread(count: number, codes: string[], faker: Faker): Map<string, number> {
  const each = Math.floor(count / codes.length);
  const lucky = new Set(faker.helpers.shuffle([...codes]).slice(0, count % codes.length));
  return new Map(codes.map((c) => [c, each + (lucky.has(c) ? 1 : 0)]));
}

import { planDepots, planTeams, stockTotals } from './force-plan';
import type { CoastStretch, GeoSeedPlan } from './geo-seed.model';
import { GEO_TARGETS } from './geo-seed.targets';
import { planBoats, planOffshore, planPorts, planSeawalls } from './marine-risk-plan';
import { Coder, PlanContext } from './people-plan';
import { SeedFrame } from './seed-frame';
import { GeoPhoneBook, seededFaker, sum } from './seed-random';
import { planShelters } from './shelter-plan';
import { planWorks } from './works-risk-plan';
import { planZones } from './zone-risk-plan';

export interface GeoPlanOptions {
  randomSeed: number;
  fakePhonePrefix: string;
  /** Numbers the registry already uses in the fake range. */
  takenPhones: string[];
}

/**
 * The whole geo plan from the registry frame and the coast, in a fixed order (one faker stream):
 * shelters, hillside zones, works, coast, forces. Checks the exact totals before anything is
 * written, so a wrong plan never reaches the database.
 */
export function buildGeoPlan(frame: SeedFrame, coast: CoastStretch[], opts: GeoPlanOptions): GeoSeedPlan {
  const faker = seededFaker(opts.randomSeed);
  const ctx: PlanContext = {
    faker,
    frame,
    phones: new GeoPhoneBook(faker, opts.fakePhonePrefix, opts.takenPhones),
    randomSeed: opts.randomSeed,
  };
  const coder = new Coder();
  const shelters = planShelters(ctx);
  const ports = planPorts(ctx, coast);
  const risks = [
    ...planZones(ctx, coder),
    ...planWorks(ctx, coder),
    ...planSeawalls(ctx, coder, coast),
    ...planBoats(ctx, ports),
    ...planOffshore(ctx, coder, ports),
  ];
  const teams = planTeams(ctx);
  const depots = planDepots(ctx);
  const plan = { ports, risks, shelters, teams, depots };
  assertTargets(plan);
  return plan;
}

function assertTargets(plan: GeoSeedPlan): void {
  const T = GEO_TARGETS;
  const problems: string[] = [];
  const expect = (what: string, got: number, want: number) => got !== want && problems.push(`${what}: ${got}, expected ${want}`);
  const ofType = (type: string) => plan.risks.filter((r) => r.type === type).length;
  const c = T.counts;
  expect('geo-hazard zones', ofType('geo_hazard_zone'), c.geoHazardZones);
  expect('flash-flood zones', ofType('flash_flood_zone'), c.flashFloodZones);
  expect('reservoirs', ofType('reservoir'), c.reservoirs);
  expect('seawalls', ofType('seawall'), c.seawalls);
  expect('low-lying', ofType('low_lying_point'), c.datianRoads + c.datianPoints + c.otherLowLying);
  expect('dilapidated houses', ofType('dilapidated_house'), c.dilapidatedHouses);
  expect('construction sites', ofType('construction_site'), c.constructionSites);
  expect('fishing boats', ofType('fishing_boat'), c.fishingBoats);
  expect('offshore projects', ofType('offshore_project'), c.offshoreProjects);
  expect('shelters', plan.shelters.length, T.shelters.city + T.shelters.town + T.shelters.village);
  expect('shelter capacity', sum(plan.shelters.map((s) => s.capacity)), T.shelters.capacity);
  const teams = (level: string) => plan.teams.filter((t) => t.level === level);
  expect('city teams', teams('city').length, T.teams.city.count);
  expect('city team members', sum(teams('city').map((t) => t.members)), T.teams.city.members);
  expect('town teams', teams('town').length, T.teams.town.count);
  expect('town team members', sum(teams('town').map((t) => t.members)), T.teams.town.members);
  const stock = stockTotals(plan.depots);
  expect('rescue boats', stock.boats, T.stock.boats);
  expect('satellite phones', stock.satellitePhones, T.stock.satellitePhones);
  expect('lighting', stock.lighting, T.stock.lighting);
  const codes = [...plan.risks, ...plan.shelters, ...plan.teams, ...plan.depots].map((x) => x.code);
  expect('duplicate codes', codes.length - new Set(codes).size, 0);
  if (problems.length) throw new Error(`the geo seed plan is off target: ${problems.join('; ')}`);
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { HolderService } from '@fangxun/registry';
import type { GeoSeedPlan } from './geo-seed.model';
import { CITY_CODE } from './geo-seed.targets';
import { GeoSeedFrameRepository } from './geo-seed-frame.repository';
import { buildGeoPlan } from './geo-seed-plan';
import { AnchorItem, GeoSeedShapesRepository } from './geo-seed-shapes.repository';
import { GeoSeedCounts, PlaceSeedRepository } from './place-seed.repository';
import { RiskSeedRepository, Written } from './risk-seed.repository';
import { SeedFrame } from './seed-frame';
import { pointSeed } from './seed-random';

export interface GeoSeedResult {
  /** What this run wrote; all zeros on a second run. */
  changes: {
    riskObjects: Written;
    vesselReports: number;
    indicatorLists: number;
    vulnerableLists: number;
    shelterLists: number;
    shelters: Written;
    teams: Written;
    depots: Written;
    stockItemsAdded: number;
  };
  counts: GeoSeedCounts;
  /** Milliseconds per step, then in all. */
  timings: Record<string, number>;
}

/**
 * The deterministic Linhai geo seed, run after the registry seed: the eight risk lists at the
 * mid-2025 summary's counts, 283 shelters for 10,700 people, 58 + 19 rescue teams and the
 * supply depots, every shape drawn by PostGIS inside the right town or village. Idempotent
 * (upserts by code, nothing rewritten when nothing differs), one transaction, advisory lock.
 */
@Injectable()
export class GeoSeedService {
  private readonly log = new Logger(GeoSeedService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly frames: GeoSeedFrameRepository,
    private readonly shapes: GeoSeedShapesRepository,
    private readonly risks: RiskSeedRepository,
    private readonly places: PlaceSeedRepository,
    private readonly holders: HolderService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(): Promise<GeoSeedResult> {
    const started = Date.now();
    const timings: Record<string, number> = {};
    let mark = started;
    const step = <T>(name: string, value: T): T => {
      timings[name] = Date.now() - mark;
      mark = Date.now();
      return value;
    };
    const result = await inTransaction(this.ds, async (m) => {
      await this.frames.lock(m);
      await this.frames.assertSeededPoints(m);
      const frame = await this.readFrame(m);
      const coast = await this.frames.coast(m, CITY_CODE);
      step('frame', null);
      const { randomSeed, fakePhonePrefix } = this.config.seed;
      const takenPhones = await this.holders.phonesStartingWith(fakePhonePrefix);
      const plan = step('plan', buildGeoPlan(frame, coast, { randomSeed, fakePhonePrefix, takenPhones }));

      await this.frames.seaAreas(m, CITY_CODE, plan.ports);
      await this.shapes.anchors(m, anchorItems(plan, randomSeed));
      await this.shapes.landShapes(m, plan.risks);
      await this.shapes.coastShapes(m, CITY_CODE, plan.risks);
      step('geometry', null);
      const shelters = step('shelters', await this.places.upsertShelters(m, plan.shelters));
      const riskObjects = await this.risks.upsertObjects(m, plan.risks);
      const vesselReports = await this.risks.insertVesselReports(m, plan.risks);
      const indicatorLists = await this.risks.replaceIndicators(m, plan.risks);
      const vulnerableLists = await this.risks.replaceVulnerable(m, plan.risks);
      const shelterLists = step('risk objects', await this.risks.replaceShelters(m, plan.risks));
      const teams = await this.places.upsertTeams(m, plan.teams);
      const depots = await this.places.upsertDepots(m, plan.depots);
      const stockItemsAdded = step('teams+supplies', await this.places.insertMissingStock(m, plan.depots));
      return {
        changes: { riskObjects, vesselReports, indicatorLists, vulnerableLists, shelterLists, shelters, teams, depots, stockItemsAdded },
        counts: await this.places.counts(m),
      };
    });
    step('commit', null);
    timings.total = Date.now() - started;
    this.log.log(`Linhai geo seed in ${timings.total} ms: ${JSON.stringify(result.changes)}`);
    return { ...result, timings };
  }

  /** Divisions from our own SQL (boundaries stay in PostGIS); active holders through the registry's service. */
  private async readFrame(m: EntityManager): Promise<SeedFrame> {
    const divisions = await this.frames.divisions(m, CITY_CODE);
    const city = divisions.find((d) => d.code === CITY_CODE);
    if (!city || divisions.length < 2) throw new Error(`division ${CITY_CODE} and its towns are missing: run the registry seed first`);
    const holders = await this.holders.withSuperiorChains({ holderIds: [], divisionIds: divisions.map((d) => d.id) });
    return new SeedFrame(
      city,
      divisions,
      holders
        .filter((h) => h.active)
        .map((h) => ({ id: h.id, name: h.name, role: h.role, divisionCode: h.divisionCode, mobile: h.mobile })),
    );
  }
}

/** Everything placed at a seeded random point: anchored risk objects, shelters, team bases, depots. */
function anchorItems(plan: GeoSeedPlan, randomSeed: number): AnchorItem[] {
  const things = [...plan.risks, ...plan.shelters, ...plan.teams, ...plan.depots];
  return things.flatMap((t) =>
    t.anchor ? [{ key: t.code, ...t.anchor, seed: pointSeed(randomSeed, `${t.anchor.area}/${t.anchor.group}`) }] : [],
  );
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { RiskObjectService } from '@fangxun/geo';
import type { SeedPoint, SeedStationKind, StationSeed } from './gauge-seed.model';
import { FillAsk, GaugeSeedRepository } from './gauge-seed.repository';
import { CITY_CODE, RAIN_STATIONS, RESERVOIR_LEVEL_STATIONS, WATER_LEVEL_STATIONS } from './gauge-seed.targets';
import { chooseGuards, evenShares, nameStations, pointSeed } from './gauge-seed-plan';

export interface GaugeSeedResult {
  /** What this run wrote; zeros on a second run. */
  changes: { inserted: number; updated: number };
  /** Stations per kind after the run. */
  counts: Record<string, number>;
  /** Flash-flood zones, and how many rain gauges were placed to guard them. */
  zones: number;
  guards: number;
  ms: number;
}

/**
 * The deterministic Linhai gauge network: ~120 rain gauges (one near every flash-flood zone
 * first, the rest spread over the towns), 20 river and 15 reservoir level gauges, all drawn
 * by seeded ST_GeneratePoints inside villages. No readings: drills replay storms. Idempotent
 * (upsert by code, nothing rewritten when nothing differs), one transaction, advisory lock.
 */
@Injectable()
export class GaugeSeedService {
  private readonly log = new Logger(GaugeSeedService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: GaugeSeedRepository,
    private readonly riskObjects: RiskObjectService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(): Promise<GaugeSeedResult> {
    const started = Date.now();
    const seed = this.config.seed.randomSeed;
    const result = await inTransaction(this.ds, async (m) => {
      await this.repo.lock(m);
      if (!(await this.repo.cityExists(m, CITY_CODE))) throw new Error(`division ${CITY_CODE} is missing: run the registry seed first`);
      // Geo's flash-flood zones under the city, as surface points (its service: feeds does not read risk_objects).
      const zonePoints = await this.riskObjects.surfacePoints('flash_flood_zone', CITY_CODE, m);
      const zones = await this.repo.zones(m, zonePoints);
      const guards = chooseGuards(zones, await this.repo.guardCandidates(m, zonePoints, seed));
      const towns = await this.repo.towns(m, CITY_CODE);
      const asks: FillAsk[] = [];
      const ask = (kind: SeedStationKind, total: number) =>
        evenShares(total, towns.length).forEach((n, i) => {
          const key = `${towns[i]}/${kind}`;
          if (n > 0) asks.push({ key, townCode: towns[i], n, seed: pointSeed(seed, key) });
        });
      ask('rain', Math.max(0, RAIN_STATIONS - guards.length));
      ask('water_level', WATER_LEVEL_STATIONS);
      ask('reservoir_level', RESERVOIR_LEVEL_STATIONS);
      const fills = await this.repo.fillCandidates(m, asks);
      const kindOf = (p: SeedPoint) => p.key.split('/')[1] as SeedStationKind;
      // Flash-flood guards belong to the water-resources network; the spread rain gauges to meteorology.
      const stations: StationSeed[] = nameStations([
        ...guards.map((point) => ({ point, kind: 'rain' as const, owner: 'water_resources' as const })),
        ...fills.map((point) => ({
          point,
          kind: kindOf(point),
          owner: kindOf(point) === 'rain' ? ('meteorology' as const) : ('water_resources' as const),
        })),
      ]);
      const changes = await this.repo.upsert(m, stations);
      return { changes, counts: await this.repo.counts(m), zones: zones.length, guards: guards.length };
    });
    const ms = Date.now() - started;
    this.log.log(`Linhai gauge seed in ${ms} ms: ${JSON.stringify(result.changes)}`);
    return { ...result, ms };
  }
}

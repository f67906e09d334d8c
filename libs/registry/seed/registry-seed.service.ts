import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { buildLinhaiPlan, LINHAI_TARGETS } from './linhai-plan';
import { CITY, loadCityOutline, loadTowns } from './linhai-source';
import { RegistrySeedRepository, SeedCounts, Written } from './registry-seed.repository';

export interface RegistrySeedResult {
  /** What this run wrote; all zeros on a second run. */
  changes: {
    divisions: Written;
    holders: Written;
    backupsSet: number;
    rostersAdded: number;
  };
  /** What the registry now holds under the city. */
  counts: SeedCounts;
  rosterFrom: string;
  rosterTo: string;
  /** Milliseconds per step, then in all. */
  timings: Record<string, number>;
}

/**
 * The deterministic Linhai registry seed: 临海市 with its real outline, the 19 real towns/streets,
 * synthetic villages and grids, 667 administrative and 4,682 grid holders with their 包保 chain
 * and AB岗 backups, and a week of duty rosters. Idempotent: run it again and nothing changes.
 * Everything happens in one transaction under an advisory lock.
 */
@Injectable()
export class RegistrySeedService {
  private readonly log = new Logger(RegistrySeedService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: RegistrySeedRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `rosterFrom` (YYYY-MM-DD) is the first duty day; the caller picks it (the script uses today in Asia/Shanghai). */
  async run(rosterFrom: string): Promise<RegistrySeedResult> {
    const started = Date.now();
    const timings: Record<string, number> = {};
    let mark = started;
    const step = <T>(name: string, value: T): T => {
      timings[name] = Date.now() - mark;
      mark = Date.now();
      return value;
    };
    const towns = loadTowns();
    const outline = loadCityOutline();
    const result = await inTransaction(this.ds, async (m) => {
      await this.repo.lock(m);
      await this.repo.assertSeededPoints(m);
      const divisions = [await this.repo.upsertCity(m, { ...CITY, outline }), await this.repo.upsertTowns(m, CITY.code, towns)];
      step('city+towns', null);
      const plan = buildLinhaiPlan(towns, await this.repo.townAreasKm2(m, CITY.code), {
        randomSeed: this.config.seed.randomSeed,
        fakePhonePrefix: this.config.seed.fakePhonePrefix,
        rosterFrom,
      });
      step('plan', null);
      divisions.push(step('villages', await this.repo.upsertChildren(m, plan.villagePartitions, plan.villages)));
      divisions.push(step('grids', await this.repo.upsertChildren(m, plan.gridPartitions, plan.grids)));

      const year = LINHAI_TARGETS.appointedYear;
      const { city, town, village, grid } = plan.holders;
      const holders: Written[] = [];
      for (const level of [city, town, village, grid]) {
        await this.repo.analyze(m);
        holders.push(await this.repo.upsertHolders(m, level, year));
      }
      step('holders', null);
      const backupsSet = step('backups', await this.repo.setBackups(m, [...city, ...town, ...village, ...grid]));
      const rostersAdded = step('rosters', await this.repo.insertMissingRosters(m, plan.rosters));
      const dates = plan.rosters.map((r) => r.dutyDate).sort();
      return {
        changes: { divisions: total(divisions), holders: total(holders), backupsSet, rostersAdded },
        counts: await this.repo.counts(m, CITY.code),
        rosterFrom: dates[0],
        rosterTo: dates[dates.length - 1],
      };
    });
    step('commit', null);
    timings.total = Date.now() - started;
    this.log.log(`Linhai seed in ${timings.total} ms: ${JSON.stringify(result.changes)}`);
    return { ...result, timings };
  }
}

function total(parts: Written[]): Written {
  return parts.reduce((a, b) => ({ inserted: a.inserted + b.inserted, updated: a.updated + b.updated }), { inserted: 0, updated: 0 });
}

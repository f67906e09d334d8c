import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { HouseholdRepository, sameHousehold } from '@fangxun/evacuation';
import { RiskObjectService } from '@fangxun/geo';
import { DivisionService, HolderService } from '@fangxun/registry';
import { householdFaker, HouseholdPhoneBook, planHouseholds } from './household-plan';

export interface EvacuationSeedResult {
  changes: { inserted: number; updated: number; unchanged: number };
  totals: { households: number; people: number; vulnerable: number };
  ms: number;
}

/**
 * The deterministic Linhai household register, run after the geo seed: every risk object on
 * land with threatened people gets households whose members add up to its threatened people
 * (7,747 in the Linhai seed), its vulnerable people (209) placed in them with their helpers,
 * heads' phones in the fake range. Idempotent: a household equal to what is stored is not
 * written again.
 */
@Injectable()
export class EvacuationSeedService {
  constructor(
    private readonly households: HouseholdRepository,
    private readonly riskObjects: RiskObjectService,
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(): Promise<EvacuationSeedResult> {
    const started = Date.now();
    const { randomSeed, fakePhonePrefix } = this.config.seed;
    const facts = await this.riskObjects.evacuationFacts();
    const divisions = await this.divisions.findRefsByCodes([...new Set(facts.map((f) => f.divisionPath.split('.').pop()!))]);
    const taken = [
      ...(await this.holders.phonesStartingWith(fakePhonePrefix)),
      ...facts.flatMap((f) => f.vulnerablePeople.map((v) => v.helperPhone)),
    ];
    const faker = householdFaker(randomSeed);
    const phones = new HouseholdPhoneBook(faker, fakePhonePrefix, taken);
    const writes = facts.flatMap((f) => planHouseholds(f, divisions.get(f.divisionPath.split('.').pop()!)!.id, faker, phones));
    const stored = new Map((await this.households.findByCodes(writes.map((w) => w.code))).map((r) => [r.code, r]));
    const changed = writes.filter((w) => !sameHousehold(w, stored.get(w.code)));
    const counts = await inTransaction(this.ds, (m) => this.households.upsertMany(changed, m));
    return {
      changes: { ...counts, unchanged: writes.length - changed.length },
      totals: await this.households.totals(),
      ms: Date.now() - started,
    };
  }
}

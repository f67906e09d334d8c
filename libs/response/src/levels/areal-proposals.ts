import { Inject, Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '@fangxun/common';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { RainfallService } from '@fangxun/feeds';
import { TownDirectory } from '../incidents/town-directory';
import { arealRulesMet } from './areal-rules';
import { rankOf } from './level-rules';
import { ProposalService } from './proposal.service';

/** The rules read rain as a city-wide reader of the feeds (no person is behind a rule). */
const RULES_READER: ApiKeyPrincipal = { kind: 'api_key', keyId: 'response-rules', name: 'response-rules', scopes: ['feeds:read'] };

/**
 * Areal-rainfall rules, evaluated on the worker's schedule: each town's areal rainfall (Thiessen,
 * else the stations' mean; suspect readings left out) over each rule's window, through the
 * feeds' exported RainfallService; every rule met proposes for the towns over its line (the
 * strongest per kind). Proposing is idempotent, so evaluating again changes nothing.
 */
@Injectable()
export class ArealProposals {
  constructor(
    private readonly rainfall: RainfallService,
    private readonly towns: TownDirectory,
    private readonly proposals: ProposalService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async evaluate(): Promise<string[]> {
    const rules = this.config.response.rules.filter((r) => 'arealRain' in r.when);
    if (!rules.length) return [];
    const to = this.clock.now();
    const windows = new Map<number, Map<string, number | null>>();
    for (const r of rules) {
      const hours = 'arealRain' in r.when ? r.when.arealRain.hours : 0;
      if (windows.has(hours)) continue;
      const towns = await this.rainfall.arealTowns(
        RULES_READER,
        { from: new Date(to.getTime() - hours * 3_600_000), to },
        { excludeSuspect: true },
      );
      windows.set(hours, new Map(towns.map((t) => [t.divisionCode ?? '', t.thiessen.mm ?? t.arithmeticMean.mm])));
    }
    const met = arealRulesMet(rules, (h) => windows.get(h)!);
    const strongest = new Map<string, (typeof met)[number]>();
    for (const m of met) {
      const had = strongest.get(m.rule.kind);
      if (!had || rankOf(m.rule.level) > rankOf(had.rule.level)) strongest.set(m.rule.kind, m);
    }
    const out: string[] = [];
    for (const m of strongest.values()) {
      const towns = await this.towns.resolve(m.towns.map((t) => t.code));
      const hours = 'arealRain' in m.rule.when ? m.rule.when.arealRain.hours : 0;
      out.push(
        await this.proposals.propose({
          kind: m.rule.kind,
          level: m.rule.level,
          towns,
          rule: m.rule.name,
          evidence: {
            arealRainfall: {
              hours,
              to: to.toISOString(),
              mm: Object.fromEntries(m.towns.map((t) => [t.code, Math.round(t.mm * 10) / 10])),
            },
          },
        }),
      );
    }
    return out;
  }
}

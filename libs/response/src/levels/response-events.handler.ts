import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import type { OutboxEvent } from '@fangxun/database';
import type { WarningEvent } from '@fangxun/feeds';
import { toWarningEvent, WARNING_TOPICS, WarningService } from '@fangxun/feeds';
import { DivisionService } from '@fangxun/registry';
import type { Town } from '../incidents/town-directory';
import { TownDirectory } from '../incidents/town-directory';
import { ProposalService } from './proposal.service';
import { strongestPerKind, warningRulesMet } from './proposal-rules';

/** The outbox consumer name of the response (as `wakeup` is the wake-up's). */
export const RESPONSE_CONSUMER = 'response';

/**
 * Feeds' warning events → level proposals. A warning raised, or updated and still in force,
 * is read back through the feeds' exported WarningService (its areas as stored), its towns
 * found (named divisions by their paths; drawn ground by the towns it meets, through the
 * registry's DivisionService), and every rule it meets proposes. Cancels and expiries propose
 * nothing: ending a response is a commander's decision. Idempotent (ProposalService).
 */
@Injectable()
export class ResponseEventsHandler {
  constructor(
    private readonly warnings: WarningService,
    private readonly divisions: DivisionService,
    private readonly towns: TownDirectory,
    private readonly proposals: ProposalService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(e: OutboxEvent): Promise<string> {
    if (e.topic !== WARNING_TOPICS.raised && e.topic !== WARNING_TOPICS.updated) return 'ignored';
    const w = toWarningEvent(e.payload);
    if (!w) return 'malformed warning event';
    if (w.state !== 'active' || !w.level) return 'not a warning in force with a colour';
    if (w.status !== 'Actual') return `status ${w.status}: proposes nothing`;
    // Cheap first: a warning no rule could meet is not read back.
    if (!warningRulesMet(this.config.response.rules, { kind: w.kind, level: w.level, origin: w.origin, towns: 1_000 }).length)
      return `no rule for ${w.level} ${w.kind}`;
    const towns = await this.townsOf(w);
    const met = strongestPerKind(
      warningRulesMet(this.config.response.rules, { kind: w.kind, level: w.level, origin: w.origin, towns: towns.length }),
    );
    if (!met.size) return `no rule met over ${towns.length} town(s)`;
    const out: string[] = [];
    for (const [kind, rule] of met) {
      out.push(
        await this.proposals.propose({
          kind,
          level: rule.level,
          towns,
          rule: rule.name,
          evidence: { warningId: w.warningId, identifier: w.identifier, kind: w.kind, level: w.level, headline: w.headline },
        }),
      );
    }
    return out.join('; ');
  }

  private async townsOf(w: WarningEvent): Promise<Town[]> {
    const areas = (await this.warnings.areasOf(w.warningId)) ?? [];
    const named = await this.towns.ofPaths(areas.flatMap((a) => a.divisionPaths));
    const drawn = areas.flatMap((a) => (a.geojson ? [a.geojson] : []));
    const met = drawn.length
      ? (await this.divisions.underPathsOrIntersecting([], drawn, ['town'])).filter((d) => d.relation !== 'touching')
      : [];
    const byCode = new Map(named.towns.map((t) => [t.code, t]));
    for (const d of met) if (!byCode.has(d.code)) byCode.set(d.code, { code: d.code, name: d.name, path: d.path });
    return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  }
}

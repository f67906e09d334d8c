import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, systemActor } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import type { IncidentKind, ResponseLevel } from '@fangxun/config';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { IncidentRepository } from '../incidents/incident.repository';
import type { Actor, ProposalRecord } from '../incidents/incident.types';
import { incidentTitle } from '../incidents/incident-commands';
import { IncidentLive } from '../incidents/incident-live';
import type { Town } from '../incidents/town-directory';
import { incidentEntry } from '../response-audit';
import { higher, rankOf } from './level-rules';

export interface Proposal {
  kind: IncidentKind;
  level: ResponseLevel;
  towns: Town[];
  rule: string;
  evidence: Record<string, unknown>;
}

/** The audit's actor for the rules' proposals (the rule itself is in the row's proposal/suggestion). */
const PROPOSER = systemActor('response.proposals');

/**
 * A rule's proposal reaches the command room; a commander decides. One open incident per kind:
 * no open one → a proposed incident; a proposal still open → it grows (higher level, more towns);
 * an active response → a suggestion on it when the rule asks for more than it has (never
 * applied by itself). The same proposal twice changes nothing (an event delivered again).
 */
@Injectable()
export class ProposalService {
  private readonly log = new Logger(ProposalService.name);

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly live: IncidentLive,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async propose(p: Proposal): Promise<string> {
    const now = this.clock.now();
    const actor: Actor = { who: `rule:${p.rule}`.slice(0, 100), role: null };
    const record: ProposalRecord = {
      rule: p.rule,
      level: p.level,
      townCodes: p.towns.map((t) => t.code),
      evidence: p.evidence,
      at: now.toISOString(),
    };
    const reason = `规则「${p.rule}」建议启动${this.config.response.levels[p.level].label}`;
    return inTransaction(this.ds, async (m) => {
      const open = await this.incidents.lockOpenOfKind(m, p.kind);
      if (!open) {
        const created = await this.incidents.insert(m, {
          kind: p.kind,
          level: p.level,
          cityWide: false,
          townCodes: record.townCodes,
          townPaths: p.towns.map((t) => t.path),
          orderNo: null,
          title: incidentTitle(p.kind, this.config.response.levels[p.level].label),
          status: 'proposed',
          source: 'rule',
          proposal: record,
          reportIntervalMinutes: this.config.response.levels[p.level].reportIntervalMinutes,
          createdBy: actor.who,
          at: now,
        });
        // Another worker proposed the same kind a moment ago: its incident stands; this event is seen again next time.
        if (!created) return 'an open incident of this kind appeared meanwhile';
        await this.incidents.addChange(m, {
          incident: created,
          action: 'propose',
          from: null,
          reason,
          actor,
          at: now,
          effects: { evidence: p.evidence },
        });
        await this.live.incident(m, created, 'propose', { by: actor.who, reason });
        await this.audit.append(m, incidentEntry(PROPOSER, 'propose', null, created));
        return `proposed ${p.kind} ${p.level} for ${record.townCodes.join(',')}`;
      }
      const newTowns = open.cityWide ? [] : p.towns.filter((t) => !open.townCodes.includes(t.code));
      const moreLevel = rankOf(p.level) > rankOf(open.level);
      if (!newTowns.length && !moreLevel) return `already ${open.status} at ${open.level} over these towns`;
      if (open.status === 'proposed') {
        const level = higher(open.level, p.level);
        const grown = await this.incidents.save(m, {
          ...open,
          level,
          title: incidentTitle(open.kind, this.config.response.levels[level].label),
          townCodes: [...open.townCodes, ...newTowns.map((t) => t.code)],
          townPaths: [...open.townPaths, ...newTowns.map((t) => t.path)],
          proposal: record,
          reportIntervalMinutes: this.config.response.levels[level].reportIntervalMinutes,
        });
        await this.incidents.addChange(m, {
          incident: grown,
          action: 'propose',
          from: open,
          reason,
          actor,
          at: now,
          effects: { evidence: p.evidence },
        });
        await this.live.incident(m, grown, 'propose', { by: actor.who, reason });
        await this.audit.append(m, incidentEntry(PROPOSER, 'propose', open, grown));
        return `proposal grew to ${level} over ${grown.townCodes.join(',')}`;
      }
      const had = open.suggestion;
      const suggestion: ProposalRecord = {
        ...record,
        level: had ? higher(had.level, p.level) : p.level,
        townCodes: [...new Set([...(had?.townCodes ?? []), ...newTowns.map((t) => t.code)])],
      };
      if (had && had.level === suggestion.level && suggestion.townCodes.every((t) => had.townCodes.includes(t))) return 'already suggested';
      await this.incidents.setSuggestion(m, open.id, suggestion);
      const withSuggestion = { ...open, suggestion };
      // The history line shows what the rule asks for (level, towns added); the incident itself is unchanged.
      const asked = { ...withSuggestion, level: suggestion.level, townCodes: [...open.townCodes, ...suggestion.townCodes] };
      await this.incidents.addChange(m, {
        incident: asked,
        action: 'suggest',
        from: open,
        reason,
        actor,
        at: now,
        effects: { suggestion },
      });
      await this.live.incident(m, withSuggestion, 'suggest', { by: actor.who, reason });
      await this.audit.append(m, incidentEntry(PROPOSER, 'suggest', open, withSuggestion));
      this.log.log(`suggested ${suggestion.level} / +${newTowns.length} towns for active ${open.kind} incident ${open.id}`);
      return `suggested ${suggestion.level} for active incident ${open.id}`;
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, WakeupLevel } from '@fangxun/config';
import { WARNING_TOPICS, WarningAreaReach, WarningEvent, WarningService } from '@fangxun/feeds';
import { CampaignRepository } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { CampaignFollower } from './campaign-follower';
import { RecipientFinder, Recipients } from './recipient-finder';
import { matchRule } from './recipient-rules';

const RANK: Record<WakeupLevel, number> = { blue: 1, yellow: 2, orange: 3, red: 4 };

/**
 * Warnings → campaigns. Raised: wake the rule's people on the warning's ground (its areas as
 * stored, `WarningService.areasOf`). Updated to a higher colour: a new campaign (everyone answers
 * the new level personally); the old one closes — its people also in the new one are
 * `superseded`, the others stood down and told. Updated at the same or a lower colour: the
 * running campaign follows the Update — people no longer on its ground are stood down and told
 * once, people newly on it are woken, a lower level re-plans the silent calls' timers, answers
 * stay. Cancelled or lifted: closed, open calls `cancelled`, everyone called told once with the
 * reason. Expired: closed, open calls `cancelled`, nobody told (an expiry is not an all-clear).
 * Test, Draft and System messages wake nobody; Exercise messages run as drills.
 */
@Injectable()
export class WarningCampaigns {
  constructor(
    private readonly warnings: WarningService,
    private readonly finder: RecipientFinder,
    private readonly campaigns: CampaignService,
    private readonly follower: CampaignFollower,
    private readonly repo: CampaignRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onEvent(topic: string, e: WarningEvent): Promise<string> {
    switch (topic) {
      case WARNING_TOPICS.raised:
        return this.raise(e);
      case WARNING_TOPICS.updated:
        return e.replacesIds
          ? this.followUpdate(e, e.replacesIds)
          : this.close(e.warningId, `updated by ${e.replacedById}`, { callState: 'superseded', tell: false });
      case WARNING_TOPICS.cancelled:
        return this.close(e.warningId, e.reason ?? (e.lifted ? '预警已解除' : '预警已取消'), { callState: 'cancelled', tell: true });
      case WARNING_TOPICS.expired:
        return this.close(e.warningId, 'warning expired', { callState: 'cancelled', tell: false });
      default:
        return 'ignored';
    }
  }

  private async raise(e: WarningEvent): Promise<string> {
    if (!e.level) return 'no colour level: nobody to wake by rule';
    if (e.status !== 'Actual' && e.status !== 'Exercise') return `status ${e.status}: nobody woken`;
    if (e.state !== 'active') return `warning already ${e.state}`;
    const rule = matchRule(this.config.wakeup.rules, e.kind, e.level);
    if (!rule) return `no rule for ${e.level} ${e.kind}`;
    const areas = (await this.warnings.areasOf(e.warningId)) ?? [];
    if (!areas.length) return 'warning has no area we can place';
    const { recipients, unreachable } = await this.finder.forGround(areas, rule.include);
    const started = await this.campaigns.start({
      source: 'warning',
      sourceKey: `warning:${e.warningId}`,
      warningId: e.warningId,
      warningKind: e.kind,
      level: e.level,
      ...texts(e),
      drill: e.status === 'Exercise',
      createdBy: `warning:${e.identifier}`.slice(0, 100),
      recipients,
      unreachable,
      ruleName: rule.name,
      area: areaRecord(areas),
    });
    return `campaign ${started.campaignId}: ${started.calls} calls${started.created ? '' : ' (existing)'}`;
  }

  private async followUpdate(e: WarningEvent, replaced: string[]): Promise<string> {
    const running = await this.repo.activeForWarnings(replaced);
    const highest = Math.max(0, ...running.map((c) => RANK[c.level]));
    if (e.level && RANK[e.level] > highest) {
      const result = await this.raise(e);
      const started = await this.repo.findBySourceKey(`warning:${e.warningId}`);
      for (const c of running) await this.follower.supersede(c, started?.id ?? null, `upgraded to ${e.level} by ${e.identifier}`);
      return result;
    }
    if (!running.length) return 'no running campaign to follow';
    const areas = (await this.warnings.areasOf(e.warningId)) ?? [];
    const out: string[] = [];
    for (const c of running) {
      // Who is on the ground is judged by the rule the campaign was started with: a downgrade
      // changes the timers, not who must answer.
      const rule =
        this.config.wakeup.rules.find((r) => r.name === c.ruleName) ?? matchRule(this.config.wakeup.rules, e.kind, e.level ?? c.level);
      const found: Recipients = rule ? await this.finder.forGround(areas, rule.include) : { recipients: [], unreachable: [] };
      const r = await this.follower.follow(c, {
        warningId: e.warningId,
        level: e.level ?? c.level,
        ...texts(e),
        area: areaRecord(areas),
        recipients: found.recipients,
        reason: `${e.headline ?? e.event}`.slice(0, 100) || `updated by ${e.identifier}`,
      });
      out.push(`campaign ${c.id} follows ${e.warningId}: +${r.added} woken, ${r.stoodDown} stood down, level ${r.level}`);
    }
    return out.join('; ');
  }

  private async close(warningId: string, reason: string, end: Parameters<CampaignService['closeForWarning']>[2]): Promise<string> {
    return `${await this.campaigns.closeForWarning(warningId, reason, end)} campaign(s) closed: ${reason}`;
  }
}

function texts(e: WarningEvent): { title: string; message: string } {
  return {
    title: (e.headline ?? e.event).slice(0, 200),
    message: [e.description, e.instruction].filter(Boolean).join('\n').slice(0, 1000) || e.event,
  };
}

function areaRecord(areas: WarningAreaReach[]): Record<string, unknown> {
  return { warningAreas: areas.map((a) => ({ areaDesc: a.areaDesc, divisionCodes: a.divisionCodes, hasGeometry: !!a.geojson })) };
}

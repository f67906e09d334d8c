import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, WakeupLevel } from '@fangxun/config';
import type { UserPrincipal } from '@fangxun/common';
import { WarningService, warningAreasOf } from '@fangxun/feeds';
import { CampaignRepository } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { RecipientFinder } from './recipient-finder';
import { matchRule } from './recipient-rules';

/** What a `warning.*` outbox event carries (libs/feeds warning-store.ts warningEventPayload). */
export interface WarningEvent {
  warningId: string;
  kind: string;
  level: WakeupLevel | null;
  state: string;
  status: string;
  replacesIds?: string[];
  replacedById?: string;
}

const RANK: Record<WakeupLevel, number> = { blue: 1, yellow: 2, orange: 3, red: 4 };
/** Warnings are read as the city's duty officer would: the whole city, nothing hidden. */
const SYSTEM: UserPrincipal = {
  kind: 'user',
  userId: '00000000-0000-0000-0000-000000000000',
  username: 'system.wakeup',
  role: 'duty_officer',
  divisionId: '',
  divisionCode: '',
  divisionPath: '',
};

/**
 * Warnings → campaigns. Raised: wake the rule's people over the warning's areas. Updated to a
 * higher colour: a new campaign (everyone answers the new level personally) and the old one is
 * closed; updated at the same or a lower colour: the running campaign carries on and follows the
 * new message (a later Cancel of it closes the campaign). Cancelled or expired: closed.
 * Test, Draft and System messages wake nobody; Exercise messages run as drills.
 */
@Injectable()
export class WarningCampaigns {
  private readonly log = new Logger(WarningCampaigns.name);

  constructor(
    private readonly warnings: WarningService,
    private readonly finder: RecipientFinder,
    private readonly campaigns: CampaignService,
    private readonly repo: CampaignRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onEvent(topic: string, e: WarningEvent): Promise<string> {
    switch (topic) {
      case 'warning.raised':
        return this.raise(e);
      case 'warning.updated':
        return e.replacesIds ? this.followUpdate(e, e.replacesIds) : this.close(e.warningId, `updated by ${e.replacedById}`);
      case 'warning.cancelled':
        return this.close(e.warningId, 'warning cancelled');
      case 'warning.expired':
        return this.close(e.warningId, 'warning expired');
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
    const w = await this.warnings.get(SYSTEM, e.warningId);
    const areas = warningAreasOf(w);
    if (!areas.length) return 'warning has no area we can place';
    const { recipients, unreachable } = await this.finder.forAreas(areas, rule.include);
    const info = w.info.find((i) => (i.language ?? '').toLowerCase().startsWith('zh')) ?? w.info[0];
    const started = await this.campaigns.start({
      source: 'warning',
      sourceKey: `warning:${w.id}`,
      warningId: w.id,
      warningKind: w.kind,
      level: e.level,
      title: (w.headline ?? w.event).slice(0, 200),
      message: [info?.description, info?.instruction].filter(Boolean).join('\n').slice(0, 1000) || w.event,
      drill: w.status === 'Exercise',
      createdBy: `warning:${w.identifier}`.slice(0, 100),
      recipients,
      unreachable,
      ruleName: rule.name,
      area: {
        warningAreas: w.areas?.map((a) => ({ areaDesc: a.areaDesc, divisionCodes: a.divisionCodes, hasGeometry: !!a.geometry })) ?? [],
      },
    });
    return `campaign ${started.campaignId}: ${started.calls} calls${started.created ? '' : ' (existing)'}`;
  }

  private async followUpdate(e: WarningEvent, replaced: string[]): Promise<string> {
    const running = await this.repo.activeForWarnings(replaced);
    const highest = Math.max(0, ...running.map((c) => RANK[c.level]));
    if (e.level && RANK[e.level] > highest) {
      const result = await this.raise(e);
      for (const id of replaced) await this.campaigns.closeForWarning(id, `upgraded to ${e.level} by ${e.warningId}`);
      return result;
    }
    const moved = await this.repo.follow(replaced, e.warningId);
    return `${moved} running campaign(s) follow update ${e.warningId}`;
  }

  private async close(warningId: string, reason: string): Promise<string> {
    return `${await this.campaigns.closeForWarning(warningId, reason)} campaign(s) closed: ${reason}`;
  }
}

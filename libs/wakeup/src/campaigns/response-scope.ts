import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WakeupLevel, WakeupPolicy, WakeupReasonKind } from '@fangxun/config';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OutboxService } from '@fangxun/database';
import { AreaDto, MAX_DIVISION_CODES } from '@fangxun/geo';
import { CallRepository, CallRow, townCodes } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { campaignPolicy, deadlineOf, replannedStep } from '../escalation/policy';
import { StepRepository } from '../escalation/step.repository';
import { CampaignRepository, CampaignRow } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { RecipientFinder } from './recipient-finder';

/** A response level as the wake-up applies it (libs/response decides it; the wake-up only executes). */
export interface ResponseLevelInput {
  /** The response's own campaign: `response:<incidentId>`. */
  sourceKey: string;
  /** Towns the incident covers (statistical codes); with `cityWide`, every active campaign is in scope. */
  townCodes: string[];
  cityWide: boolean;
  /** Deadlines and escalation of every call in scope, while stricter than its warning's colour. */
  policy: WakeupPolicy;
  /** Who the response's own campaign calls in its towns. */
  include: WakeupReasonKind[];
  campaignLevel: WakeupLevel;
  title: string;
  message: string;
  createdBy: string;
}

export interface ResponseLevelResult {
  campaignId: string | null;
  /** People called now by the response's own campaign (new to it). */
  woken: number;
  /** Running campaigns in scope that now follow the level's policy, and their silent calls re-planned. */
  campaigns: number;
  replannedCalls: number;
}

/**
 * The wake-up side of a response level change, in the response's transaction: the response's
 * own campaign (started, or its new people called and its level moved), and every running
 * campaign in the incident's towns re-planned under the level's policy — the silent calls'
 * deadlines and pending timers moved (never duplicated: each call keeps one pending step),
 * answered, escalated and closed calls left as they are, so an answer already given is never
 * made late by a stricter level nor undone by a lower one.
 */
@Injectable()
export class ResponseScope {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly calls: CallRepository,
    private readonly steps: StepRepository,
    private readonly service: CampaignService,
    private readonly finder: RecipientFinder,
    private readonly channels: CallChannels,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async applyLevel(m: EntityManager, input: ResponseLevelInput, now: Date): Promise<ResponseLevelResult> {
    const { recipients, unreachable } = input.townCodes.length
      ? await this.finder.forAreas(
          chunks(input.townCodes, MAX_DIVISION_CODES).map((divisionCodes) => Object.assign(new AreaDto(), { divisionCodes })),
          input.include,
        )
      : { recipients: [], unreachable: [] };
    let woken = 0;
    let campaignId: string | null = null;
    const own = await this.campaigns.lockBySourceKey(m, input.sourceKey);
    if (!own) {
      const started = await this.service.startIn(
        m,
        {
          source: 'manual',
          sourceKey: input.sourceKey,
          warningKind: 'other',
          level: input.campaignLevel,
          title: input.title,
          message: input.message,
          drill: false,
          createdBy: input.createdBy,
          recipients,
          unreachable,
          ruleName: null,
          area: { response: input.sourceKey, townCodes: input.townCodes, cityWide: input.cityWide },
          policy: input.policy,
        },
        now,
      );
      campaignId = started.campaignId;
      woken = started.created ? started.calls : 0;
    } else if (own.state === 'active') {
      campaignId = own.id;
      await this.campaigns.retune(m, own.id, {
        level: input.campaignLevel,
        policy: input.policy,
        title: input.title,
        message: input.message,
      });
      const tuned: CampaignRow = { ...own, level: input.campaignLevel, policy: input.policy, title: input.title, message: input.message };
      const added = await this.calls.insertMany(m, {
        campaignId: own.id,
        recipients,
        origin: 'recipient',
        escalatedFrom: null,
        depth: 0,
        createdAt: now,
        deadlineAt: deadlineOf(campaignPolicy(this.config, tuned), now),
      });
      await this.service.dispatch(m, tuned, added, now);
      woken = added.length;
      if (added.length) {
        const payload = {
          campaignId: own.id,
          level: input.campaignLevel,
          title: input.title,
          added: added.length,
          stoodDown: 0,
          reopened: 0,
        };
        await this.channels.campaignEvent(m, 'wakeup.campaign_updated', payload, townCodes(added));
        await this.outbox.append(m, { topic: 'wakeup.campaign_updated', key: own.id, payload });
      }
    }
    const { campaigns, replannedCalls } = await this.retuneInScope(m, input, input.policy, now);
    return { campaignId, woken, campaigns, replannedCalls };
  }

  /**
   * The response ends: its own campaign closes (open calls cancelled, everyone called told once
   * why), and the running campaigns in its towns go back to their colour's policy.
   */
  async endResponse(m: EntityManager, input: Pick<ResponseLevelInput, 'sourceKey' | 'townCodes' | 'cityWide'>, reason: string, now: Date) {
    const own = await this.campaigns.lockBySourceKey(m, input.sourceKey);
    if (own?.state === 'active') await this.service.closeIn(m, own, reason, now, { callState: 'cancelled', tell: true });
    return this.retuneInScope(m, input, null, now);
  }

  private async retuneInScope(
    m: EntityManager,
    scope: Pick<ResponseLevelInput, 'townCodes' | 'cityWide'>,
    policy: WakeupPolicy | null,
    now: Date,
  ): Promise<{ campaigns: number; replannedCalls: number }> {
    const running = await this.campaigns.lockActiveInTowns(m, scope.townCodes, scope.cityWide);
    let replannedCalls = 0;
    for (const c of running) {
      await this.campaigns.retune(m, c.id, { level: c.level, policy, title: c.title, message: c.message });
      const calls = await this.calls.lockCampaign(m, c.id);
      const silent = calls.filter((k) => !k.closedState && !k.receivedAt && !k.escalatedAt);
      await this.replan(m, campaignPolicy(this.config, { level: c.level, policy }), silent, now);
      replannedCalls += silent.length;
    }
    return { campaigns: running.length, replannedCalls };
  }

  /** As a downgrade's re-plan (CampaignFollower): each silent call's deadline and its one pending timer move. */
  private async replan(m: EntityManager, policy: WakeupPolicy, silent: CallRow[], now: Date): Promise<void> {
    if (!silent.length) return;
    const byId = new Map(silent.map((k) => [k.id, k]));
    await this.calls.setDeadlines(
      m,
      silent.map((k) => [k.id, deadlineOf(policy, k.createdAt)]),
    );
    const pending = await this.steps.lockPendingForCalls(m, [...byId.keys()]);
    await this.steps.replan(
      m,
      pending.map((s) => ({ id: s.id, ...replannedStep(policy, byId.get(s.callId)!.createdAt, s, now) })),
    );
  }
}

function chunks<T>(xs: T[], n: number): T[][] {
  return Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
}

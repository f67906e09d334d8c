import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor, AuditService, systemActor } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService } from '@fangxun/database';
import { CallCloseState, CallRepository, CallRow, townCodes } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { campaignPolicy, deadlineOf, nextStep } from '../escalation/policy';
import { StepRepository } from '../escalation/step.repository';
import type { StartCampaignInput, StartedCampaign } from '../wakeup.types';
import { CampaignRepository, CampaignRow } from './campaign.repository';
import { StandDownService } from './stand-down.service';

/** How a campaign's calls end with it: their state, and whether each person is told (once) why. */
export interface CampaignEnd {
  callState: CallCloseState;
  tell: boolean;
}

/**
 * Starts and closes wake-up campaigns. `start` is the one way in, for warnings (from the feeds'
 * outbox), duty officers' orders and, later, the response module's levels.
 */
@Injectable()
export class CampaignService {
  private readonly log = new Logger(CampaignService.name);

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly calls: CallRepository,
    private readonly steps: StepRepository,
    private readonly channels: CallChannels,
    private readonly standDown: StandDownService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /**
   * One transaction: the campaign, one call per person with its deadline, its first timer (the
   * first SMS, due now), and the push to each phone. A crash before commit leaves nothing (the
   * outbox event that asked for it is delivered again); after commit everything is there.
   * The same source key twice gives the first campaign back.
   */
  async start(input: StartCampaignInput): Promise<StartedCampaign> {
    return inTransaction(this.ds, (m) => this.startIn(m, input));
  }

  /**
   * `start` in the caller's transaction: a response level change wakes its people with the rest
   * of its work; an evacuation order commits its tasks, their reserved places and the campaign
   * that pushes them together, or none of it.
   */
  async startIn(m: EntityManager, input: StartCampaignInput, now = this.clock.now()): Promise<StartedCampaign> {
    const policy = campaignPolicy(this.config, input);
    {
      const id = await this.campaigns.insert(m, input, now);
      if (!id) {
        const existing = (await this.campaigns.findBySourceKey(input.sourceKey, m))!;
        return { campaignId: existing.id, created: false, calls: await this.calls.countIn(m, existing.id) };
      }
      const campaign = (await this.campaigns.get(id, m))!;
      const calls = await this.calls.insertMany(m, {
        campaignId: id,
        recipients: input.recipients,
        origin: 'recipient',
        escalatedFrom: null,
        depth: 0,
        createdAt: now,
        deadlineAt: deadlineOf(policy, now),
      });
      await this.dispatch(m, campaign, calls, now);
      await this.channels.campaignEvent(m, 'wakeup.campaign_started', this.summary(campaign, calls.length), townCodes(calls));
      await this.outbox.append(m, { topic: 'wakeup.campaign_started', key: id, payload: { ...this.summary(campaign, calls.length) } });
      this.log.log(`campaign ${id} (${input.sourceKey}): ${calls.length} calls, deadline ${policy.deadlineMinutes} min`);
      await this.audit.append(m, {
        actor: input.actor ?? systemActor(`wakeup.${input.source}`),
        action: 'wakeup_campaign.start',
        entity: 'wakeup_campaign',
        entityId: id,
        after: {
          source: input.source,
          sourceKey: input.sourceKey,
          warningId: input.warningId ?? null,
          level: input.level,
          title: input.title,
          drill: input.drill,
          calls: calls.length,
        },
      });
      return { campaignId: id, created: true, calls: calls.length };
    }
  }

  /**
   * New calls go out: the push, and the first timer — the first SMS, due at once (the worker
   * queues those in batches right after this commits). Used by `start` and by escalation (the superior
   * newly called is a call like any other, with his own deadline and his own escalation).
   */
  async dispatch(m: EntityManager, campaign: CampaignRow, calls: CallRow[], now: Date): Promise<void> {
    if (!calls.length) return;
    const policy = campaignPolicy(this.config, campaign);
    await this.steps.insertMany(
      m,
      calls.flatMap((c) => {
        const step = nextStep(policy, now);
        return step ? [{ callId: c.id, step }] : [];
      }),
    );
    await this.channels.push(m, campaign, calls);
  }

  /** Closes the warning's active campaigns (cancelled, lifted, expired); their timers stop, their calls end as `end` says. */
  async closeForWarning(warningId: string, reason: string, end: CampaignEnd): Promise<number> {
    const now = this.clock.now();
    return inTransaction(this.ds, async (m) => {
      const open = await this.campaigns.activeForWarning(m, warningId);
      for (const c of open) await this.closeIn(m, c, reason, now, end, systemActor('wakeup.warning_closed'));
      return open.length;
    });
  }

  /**
   * Closes a campaign in the caller's transaction: its calls not yet answered end as
   * `end.callState` (never counted unreached), everyone called is told once why when
   * `end.tell`, every timer stops.
   */
  async closeIn(m: EntityManager, c: CampaignRow, reason: string, now: Date, end: CampaignEnd, actor?: AuditActor): Promise<boolean> {
    if (!(await this.campaigns.close(m, c.id, reason, now))) return false;
    await this.standDown.campaign(m, c, end.callState, reason, end.tell, now);
    await this.steps.cancelPendingForCampaign(m, c.id, `campaign closed: ${reason}`, now);
    const payload = { campaignId: c.id, reason, closedAt: now.toISOString() };
    await this.channels.campaignEvent(m, 'wakeup.campaign_closed', payload, await this.calls.townsOf(m, c.id));
    await this.outbox.append(m, { topic: 'wakeup.campaign_closed', key: c.id, payload: { campaignId: c.id, reason } });
    await this.audit.append(m, {
      actor: actor ?? systemActor('wakeup.close'),
      action: 'wakeup_campaign.close',
      entity: 'wakeup_campaign',
      entityId: c.id,
      before: { closedAt: null },
      after: { closedAt: now.toISOString(), reason, callState: end.callState },
    });
    return true;
  }

  private summary(c: CampaignRow, calls: number) {
    return {
      campaignId: c.id,
      source: c.source,
      warningId: c.warningId,
      warningKind: c.warningKind,
      level: c.level,
      title: c.title,
      drill: c.drill,
      calls,
      createdAt: c.createdAt.toISOString(),
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService } from '@fangxun/database';
import { CallRepository, CallRow, townCodes } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { campaignPolicy, deadlineOf, replannedStep } from '../escalation/policy';
import { StepRepository } from '../escalation/step.repository';
import type { Recipient } from '../wakeup.types';
import { CampaignRepository, CampaignRow } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { StandDownService } from './stand-down.service';

export interface FollowInput {
  warningId: string;
  level: CampaignRow['level'];
  title: string;
  message: string;
  area: Record<string, unknown>;
  /** Everyone the Update's ground calls for, by the campaign's rule. */
  recipients: Recipient[];
  /** Told to the people stood down. */
  reason: string;
}

/** A running campaign following an Update of its warning, or closed by an upgrade's new one. */
@Injectable()
export class CampaignFollower {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly calls: CallRepository,
    private readonly steps: StepRepository,
    private readonly service: CampaignService,
    private readonly standDown: StandDownService,
    private readonly channels: CallChannels,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /**
   * One transaction: the campaign takes the Update's warning, level and texts; people no longer
   * on its ground are stood down (their calls closed `stood_down`, told once), with any
   * escalation made only for their silence; people newly on it are called; at a lower level the
   * silent calls' deadlines and timers follow the new policy. Answers already given stay.
   * People stood down earlier and back on the ground (a widening after a narrowing) are called
   * afresh: the stood-down call is kept, marked `reopened`, and a new call made like any other
   * new one (push, first SMS, the current level's deadline), so his answers from before do not
   * count for the new ground and a later stand-down tells him again.
   * A repeat of the same Update changes nothing more.
   */
  async follow(c: CampaignRow, to: FollowInput): Promise<{ added: number; stoodDown: number; level: string }> {
    const now = this.clock.now();
    return inTransaction(this.ds, async (m) => {
      const [campaign] = (await this.campaigns.lockActiveForWarnings(m, [c.warningId!, to.warningId])).filter((x) => x.id === c.id);
      if (!campaign) return { added: 0, stoodDown: 0, level: c.level };
      await this.campaigns.follow(m, c.id, to);
      const followed: CampaignRow = {
        ...campaign,
        warningId: to.warningId,
        level: to.level,
        title: to.title,
        message: to.message,
        area: to.area,
      };
      const calls = await this.calls.lockCampaign(m, c.id);
      const onGround = new Set(to.recipients.map((r) => r.holderId));
      const gone = leaving(calls, onGround);
      const { told } = await this.standDown.closeCalls(
        m,
        followed,
        { callIds: gone, state: 'stood_down', reason: `预警范围调整，您不在新范围内：${to.reason}`.slice(0, 200), tell: true },
        now,
      );
      const back = calls.filter((k) => k.closedState === 'stood_down' && k.holderId && onGround.has(k.holderId));
      await this.calls.markReopened(
        m,
        back.map((k) => k.id),
        `预警范围调整，您重新在范围内：${to.reason}`,
        now,
      );
      const backIds = new Set(back.map((k) => k.id));
      const called = new Set(calls.filter((k) => !backIds.has(k.id) && k.closedState !== 'reopened').map((k) => k.holderId));
      const added = await this.calls.insertMany(m, {
        campaignId: c.id,
        recipients: to.recipients.filter((r) => !called.has(r.holderId)),
        origin: 'recipient',
        escalatedFrom: null,
        depth: 0,
        createdAt: now,
        deadlineAt: deadlineOf(campaignPolicy(this.config, followed), now),
      });
      await this.service.dispatch(m, followed, added, now);
      if (to.level !== campaign.level) {
        const goneSet = new Set(gone);
        await this.replan(
          m,
          followed,
          calls.filter((k) => !goneSet.has(k.id) && !k.closedState && !k.receivedAt && !k.escalatedAt),
          now,
        );
      }
      const payload = {
        campaignId: c.id,
        level: to.level,
        title: to.title,
        added: added.length,
        stoodDown: gone.length,
        reopened: back.length,
      };
      await this.channels.campaignEvent(m, 'wakeup.campaign_updated', payload, townCodes([...calls, ...added]));
      await this.outbox.append(m, { topic: 'wakeup.campaign_updated', key: c.id, payload: { ...payload, warningId: to.warningId, told } });
      return { added: added.length, stoodDown: gone.length, level: to.level };
    });
  }

  /**
   * An upgrade started `newCampaignId`: the old campaign closes; its people called again there are
   * `superseded` (nothing to tell: they have the new call), the others stood down and told.
   */
  async supersede(old: CampaignRow, newCampaignId: string | null, reason: string): Promise<void> {
    const now = this.clock.now();
    await inTransaction(this.ds, async (m) => {
      const calls = await this.calls.lockCampaign(m, old.id);
      const again = new Set(newCampaignId ? (await this.calls.forCampaign(newCampaignId)).map((k) => k.holderId) : []);
      await this.standDown.closeCalls(m, old, { callIds: leaving(calls, again), state: 'stood_down', reason, tell: true }, now);
      await this.service.closeIn(m, old, reason, now, { callState: 'superseded', tell: false });
    });
  }

  /** Silent calls follow the new level's policy: deadline and pending timer moved, never before now. */
  private async replan(m: EntityManager, campaign: CampaignRow, silent: CallRow[], now: Date): Promise<void> {
    const policy = campaignPolicy(this.config, campaign);
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

/**
 * Calls whose people are not on the new ground, still standing: the recipients no longer
 * named, and escalations made only because of such a person's silence (followed down the chain).
 */
function leaving(calls: CallRow[], onGround: Set<string | null>): string[] {
  const gone = new Set<string>();
  for (const k of calls) if (!k.closedState && k.origin === 'recipient' && !onGround.has(k.holderId)) gone.add(k.id);
  for (let grew = true; grew;) {
    grew = false;
    for (const k of calls) {
      if (gone.has(k.id) || k.closedState || k.origin !== 'escalation' || onGround.has(k.holderId)) continue;
      if (k.escalatedFrom && gone.has(k.escalatedFrom)) {
        gone.add(k.id);
        grew = true;
      }
    }
  }
  return [...gone];
}

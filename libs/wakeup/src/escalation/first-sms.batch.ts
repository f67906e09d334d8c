import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { CallRepository, CallRow } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { CampaignRepository, CampaignRow } from '../campaigns/campaign.repository';
import { campaignPolicy, nextStep } from './policy';
import { StepRepository } from './step.repository';

/**
 * Fires due `first_sms` steps in bulk: a fan-out leaves thousands at once, and one transaction
 * per step would queue the last warden's SMS seconds late. One transaction per claimed batch:
 * the steps and their calls locked, one `enqueueMany` per campaign (idempotent per call: a batch
 * redone after a crash queues nothing twice), capped numbers flagged, the steps finished and
 * each call's next timer written.
 */
@Injectable()
export class FirstSmsBatch {
  constructor(
    private readonly steps: StepRepository,
    private readonly calls: CallRepository,
    private readonly campaigns: CampaignRepository,
    private readonly channels: CallChannels,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** Returns how many steps it finished (done or cancelled). */
  async fire(stepIds: string[]): Promise<number> {
    return inTransaction(this.ds, async (m) => {
      // Calls first, then their steps: the order every writer of both keeps (answers lock the
      // call and then cancel its steps), so a batch and an answer never deadlock.
      const calls = await this.calls.lockMany(m, await this.steps.callIdsOf(m, stepIds));
      const steps = await this.steps.lockPendingMany(m, stepIds);
      if (!steps.length) return 0;
      const now = this.clock.now();
      const campaigns = new Map<string, CampaignRow>();
      for (const id of new Set(calls.map((c) => c.campaignId))) campaigns.set(id, (await this.campaigns.get(id, m))!);
      const live = calls.filter((c) => !c.receivedAt && !c.closedState && campaigns.get(c.campaignId)?.state === 'active');
      const capped: CallRow[] = [];
      for (const campaign of campaigns.values()) {
        const mine = live.filter((c) => c.campaignId === campaign.id);
        const queued = await this.channels.sms(m, campaign, mine, 'first', 'first');
        capped.push(...mine.filter((c) => queued.get(c.id) === 'capped'));
      }
      await this.calls.markSmsCapped(
        m,
        capped.map((c) => c.id),
      );
      if (capped.length)
        await this.channels.boardChanged(
          m,
          capped.map((c) => ({ ...c, smsCapped: true })),
          'sms_capped',
        );
      const liveIds = new Set(live.map((c) => c.id));
      const sent = steps.filter((s) => liveIds.has(s.callId));
      await this.steps.finishMany(
        m,
        sent.map((s) => s.id),
        'done',
        'sms queued',
        now,
      );
      await this.steps.finishMany(
        m,
        steps.filter((s) => !liveIds.has(s.callId)).map((s) => s.id),
        'cancelled',
        'answered or closed',
        now,
      );
      const next = live.flatMap((c) => {
        const step = nextStep(campaignPolicy(this.config, campaigns.get(c.campaignId)!), c.createdAt, { kind: 'first_sms', seq: 0 }, now);
        return step ? [{ callId: c.id, step }] : [];
      });
      await this.steps.insertMany(m, next);
      return steps.length;
    });
  }
}

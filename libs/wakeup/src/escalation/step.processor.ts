import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, systemActor } from '@fangxun/audit';
import { beijingDate, Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { OutboxService } from '@fangxun/database';
import type { HolderRow } from '@fangxun/registry';
import { HolderService, RosterService } from '@fangxun/registry';
import { CallRepository, CallRow } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { CampaignRepository, CampaignRow } from '../campaigns/campaign.repository';
import { CampaignService } from '../campaigns/campaign.service';
import { CallEscalatedPayload, WAKEUP_TOPICS } from '../wakeup.topics';
import { recipientOf } from '../wakeup.types';
import { EscalationRepository } from './escalation.repository';
import { FirstSmsBatch } from './first-sms.batch';
import { campaignPolicy, deadlineOf, nextStep } from './policy';
import { StepRepository, StepRow } from './step.repository';

const KIND_ZH = { superior: '其包保上级', backup: '其B岗', duty: '市防指值班员' } as const;

/**
 * Fires due steps: the first SMS (in batches), repeat the SMS to a silent person, or escalate at the deadline. Each step
 * runs in one transaction holding the step and its call locked, so its effects (SMS queued,
 * superior called, board told) commit exactly once with the step marked done, whichever
 * worker fires it and however often a crash makes it be claimed again.
 */
@Injectable()
export class StepProcessor {
  private readonly log = new Logger(StepProcessor.name);
  /** Steps whose firing failed in this process (left pending, retried after their lease). */
  failures = 0;

  constructor(
    private readonly steps: StepRepository,
    private readonly calls: CallRepository,
    private readonly campaigns: CampaignRepository,
    private readonly campaignService: CampaignService,
    private readonly escalations: EscalationRepository,
    private readonly holders: HolderService,
    private readonly rosters: RosterService,
    private readonly channels: CallChannels,
    private readonly firstSms: FirstSmsBatch,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /**
   * Claims and fires what is due now; returns how many steps fired (done or cancelled). A fired
   * step may schedule a next one that is already due (an escalation after an outage): claimed
   * again at once, a few passes at most.
   */
  async fireDue(): Promise<number> {
    let fired = 0;
    for (let pass = 0; pass < 3; pass++) {
      const now = this.clock.now();
      const claimed = await this.steps.claimDue(
        now,
        this.config.wakeup.batchSize,
        new Date(now.getTime() + this.config.wakeup.leaseSeconds * 1000),
      );
      const firsts = claimed.filter((s) => s.kind === 'first_sms');
      if (firsts.length) {
        try {
          fired += await this.firstSms.fire(firsts.map((s) => s.id));
        } catch (err) {
          this.failures += firsts.length;
          this.log.error(`${firsts.length} first SMS steps failed: ${(err as Error).message}`);
        }
      }
      for (const s of claimed.filter((x) => x.kind !== 'first_sms')) {
        try {
          if (await this.fire(s.id)) fired++;
        } catch (err) {
          this.failures++;
          // Left pending with its lease: taken again when the lease ends.
          this.log.error(`step ${s.id} (${s.kind}) failed: ${(err as Error).message}`);
        }
      }
      if (!claimed.length) break;
    }
    return fired;
  }

  async fire(stepId: string): Promise<boolean> {
    return inTransaction(this.ds, async (m) => {
      // The call first, then the step: the order answers keep too (lock the call, cancel its steps).
      const [callId] = await this.steps.callIdsOf(m, [stepId]);
      const call = callId ? await this.calls.lock(m, callId) : null;
      const step = await this.steps.lockPending(m, stepId);
      if (!step) return false; // another worker fired it meanwhile
      const now = this.clock.now();
      const campaign = call ? await this.campaigns.get(call.campaignId, m) : null;
      if (!call || !campaign) return this.finish(m, step, 'cancelled', 'call gone', now);
      if (call.receivedAt) return this.finish(m, step, 'cancelled', `answered via ${call.receivedVia}`, now);
      if (call.closedState) return this.finish(m, step, 'cancelled', `call ${call.closedState}`, now);
      if (campaign.state === 'closed') return this.finish(m, step, 'cancelled', 'campaign closed', now);
      // first_sms steps are fired in batches (FirstSmsBatch); one that comes here alone is sent the same way.
      const result =
        step.kind === 'escalate' ? await this.escalate(m, campaign, call, now) : await this.repeat(m, campaign, call, step, now);
      // The call's next timer, in the same transaction: fired once, scheduled once.
      const next = nextStep(campaignPolicy(this.config, campaign), call.createdAt, step, now);
      if (next) await this.steps.insertMany(m, [{ callId: call.id, step: next }]);
      return this.finish(m, step, 'done', result, now);
    });
  }

  private async finish(m: EntityManager, step: StepRow, state: 'done' | 'cancelled', result: string, now: Date): Promise<boolean> {
    await this.steps.finish(m, step.id, state, result, now);
    return true;
  }

  private async repeat(m: EntityManager, campaign: CampaignRow, call: CallRow, step: StepRow, now: Date): Promise<string> {
    // A repeat fired late (a worker was down) at or past the deadline adds nothing: escalation is next.
    const first = step.kind === 'first_sms';
    if (!first && now >= call.deadlineAt) return 'skipped: deadline passed';
    const r = (await this.channels.sms(m, campaign, [call], first ? 'first' : 'repeat', first ? 'first' : `repeat${step.seq}`)).get(
      call.id,
    )!;
    if (r === 'capped') {
      // The provider's daily cap for this number is reached: the board shows it, to phone him instead.
      await this.calls.markSmsCapped(m, [call.id]);
      await this.channels.boardChanged(m, [{ ...call, smsCapped: true }], 'sms_capped');
    }
    return `sms ${r}`;
  }

  /**
   * At the deadline: call the person's 包保 superior and/or named backup (as configured), each
   * once per campaign — someone already called is told who is silent below him. At the top of
   * the chain or past the allowed depth, the city's duty officers of the day (the duty roster)
   * are called; when there are none, or the silent person is one of them, the silence goes to
   * the board. The silent call stays open: a late answer still counts (marked late).
   */
  private async escalate(m: EntityManager, campaign: CampaignRow, call: CallRow, now: Date): Promise<string> {
    const policy = campaignPolicy(this.config, campaign);
    await this.calls.markEscalated(m, call.id, now);
    const [self] = call.holderId ? await this.holders.findRows([call.holderId], m) : [];
    const reached: string[] = [];
    if (self && call.depth < policy.maxEscalationDepth) {
      const targets = policy.escalateTo
        .map((kind) => ({ kind, id: kind === 'superior' ? self.superiorId : self.backupId }))
        .filter((t): t is { kind: 'superior' | 'backup'; id: string } => !!t.id);
      const rows = new Map(
        (
          await this.holders.findRows(
            targets.map((t) => t.id),
            m,
          )
        ).map((h) => [h.id, h]),
      );
      for (const t of targets) {
        const h = rows.get(t.id);
        if (h?.active) reached.push(await this.escalateTo(m, campaign, call, h, t.kind, call.depth + 1, now));
      }
    }
    if (!reached.length) {
      const duty = await this.rosters.cityOnDuty(beijingDate(now));
      const officers = duty ? (await this.holders.findRows(duty.officerIds, m)).filter((h) => h.active && h.id !== call.holderId) : [];
      // A duty officer's own silence goes to the board: his call is made at the last depth.
      if (call.depth <= policy.maxEscalationDepth && !duty?.officerIds.includes(call.holderId ?? '')) {
        for (const h of officers) reached.push(await this.escalateTo(m, campaign, call, h, 'duty', policy.maxEscalationDepth + 1, now));
      }
    }
    if (!reached.length) {
      await this.escalations.insert(m, campaign.id, {
        fromCallId: call.id,
        kind: 'board',
        toHolderId: null,
        toCallId: null,
        toName: null,
        at: now,
      });
      reached.push('board');
    }
    await this.channels.boardChanged(m, [{ ...call, escalatedAt: call.escalatedAt ?? now }], 'escalated');
    const escalated: CallEscalatedPayload = {
      callId: call.id,
      campaignId: campaign.id,
      sourceKey: campaign.sourceKey,
      holderId: call.holderId,
      at: now.toISOString(),
      reached,
    };
    await this.outbox.append(m, { topic: WAKEUP_TOPICS.callEscalated, key: call.id, payload: { ...escalated } });
    await this.audit.append(m, {
      actor: systemActor('wakeup.escalation'),
      action: 'wakeup_call.escalate',
      entity: 'wakeup_call',
      entityId: call.id,
      before: { escalatedAt: call.escalatedAt?.toISOString() ?? null },
      after: { escalatedAt: (call.escalatedAt ?? now).toISOString(), to: reached },
    });
    this.log.log(`call ${call.id} silent at deadline: escalated to ${reached.join(', ')}`);
    return `escalated to ${reached.join(', ')}`.slice(0, 200);
  }

  /**
   * Someone answers for the silent person's silence: called now (a call of his own, with his own
   * deadline and escalation) or, if already called in this campaign, told by SMS and on his
   * phone whom to rouse. Recorded as an escalation either way.
   */
  private async escalateTo(
    m: EntityManager,
    campaign: CampaignRow,
    call: CallRow,
    h: HolderRow,
    kind: 'superior' | 'backup' | 'duty',
    depth: number,
    now: Date,
  ): Promise<string> {
    const text = `${call.holderName}（${call.divisionCode}）未在时限内应答，升级至${KIND_ZH[kind]}`;
    const [created] = (await this.calls.findInCampaign(m, campaign.id, h.id))
      ? []
      : await this.calls.insertMany(m, {
          campaignId: campaign.id,
          recipients: [recipientOf(h, [{ kind: 'escalation', text, via: { callId: call.id } }])],
          origin: 'escalation',
          escalatedFrom: call.id,
          depth,
          createdAt: now,
          deadlineAt: deadlineOf(campaignPolicy(this.config, campaign), now),
        });
    // Not created: he was already called, or another worker's escalation (of someone else silent
    // under him) called him a moment ago — the insert waited for it and did nothing.
    const target = created ?? (await this.calls.findInCampaign(m, campaign.id, h.id))!;
    if (created) {
      await this.campaignService.dispatch(m, campaign, [created], now);
    } else {
      await this.channels.sms(m, campaign, [target], 'escalation', `escalation:${call.id}`, call);
      if (target.holderId)
        await this.channels.personEvent(m, target.holderId, 'wakeup.escalation', {
          campaignId: campaign.id,
          silentCallId: call.id,
          silentName: call.holderName,
          text,
        });
    }
    await this.escalations.insert(m, campaign.id, {
      fromCallId: call.id,
      kind,
      toHolderId: h.id,
      toCallId: target.id,
      toName: h.name,
      at: now,
    });
    return `${kind} ${h.name}`;
  }
}

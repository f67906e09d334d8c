import { Inject, Injectable } from '@nestjs/common';
import type { AuditActor } from '@fangxun/audit';
import { AppError, assertInScope, beijingClock, Clock, Principal } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { CallRepository, CallRow } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { CampaignRepository } from '../campaigns/campaign.repository';
import { WakeupErrors } from '../wakeup.errors';
import type { AckChannel, Stage } from '../wakeup.types';
import { AckBatcher } from './ack-batcher';
import type { LinkCall } from './ack-page';
import { isAckReply } from './reply-matcher';

export interface AckRequest {
  callId: string;
  stage: Stage;
  channel: AckChannel;
  byUserId?: string | null;
  fromPhone?: string | null;
  note?: string | null;
  counts?: Record<string, number> | null;
  /** Who answered, for the audit log; link and SMS answers are the called holder's (set by the ledger). */
  actor?: AuditActor;
}

export interface AckOutcome {
  callId: string;
  stage: Stage;
  /** False when an earlier answer (any channel) already counted: this one is kept in the ledger only. */
  accepted: boolean;
  late: boolean;
  receivedAt: string | null;
  doneAt: string | null;
}

/**
 * The one acknowledgement ledger for every channel (socket.io, signed link, SMS reply, a duty
 * officer's proxy after a phone call). Each answer is recorded; the first valid one per call
 * and stage counts; an answer after the deadline or after the campaign closed counts and is
 * marked late. "Received" stops the call's repeats and escalation. "Done" implies "received".
 */
@Injectable()
export class AckService {
  constructor(
    private readonly batcher: AckBatcher,
    private readonly calls: CallRepository,
    private readonly campaigns: CampaignRepository,
    private readonly channels: CallChannels,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Records one answer. Answers from every channel go through one batcher (see AckBatcher and
   * AckLedger): resolves after the answer committed, rejects with the AppError that refused it.
   */
  acknowledge(req: AckRequest, check?: (call: CallRow) => void): Promise<AckOutcome> {
    return this.batcher.submit(req, check);
  }

  /** Over the warden's own socket: only the person called may answer his call. */
  bySocket(
    holderId: string | null,
    userId: string,
    callId: string,
    stage: Stage,
    counts?: Record<string, number>,
    actor?: AuditActor,
  ): Promise<AckOutcome> {
    return this.acknowledge({ callId, stage, channel: 'socket', byUserId: userId, counts: counts ?? null, actor }, (call) => {
      if (!holderId || call.holderId !== holderId)
        throw new AppError(WakeupErrors.NotYourCall, 'this call is addressed to someone else', [
          { field: 'callId', problem: 'not addressed to you' },
        ]);
    });
  }

  /** The one-tap link from the SMS: the token names the call; forged → 401, expired → 410. */
  byLink(token: string, stage: Stage = 'received'): Promise<AckOutcome> {
    return this.acknowledge({ callId: this.linkCallId(token), stage, channel: 'link' });
  }

  /** What the link's page shows; opening it records nothing. */
  async describeLink(token: string): Promise<LinkCall> {
    const call = await this.calls.get(this.linkCallId(token));
    if (!call) throw new AppError(WakeupErrors.CallNotFound, 'call not found', [{ field: 'token', problem: 'the call is gone' }]);
    const campaign = (await this.campaigns.get(call.campaignId))!;
    return { title: campaign.title, name: call.holderName, deadline: beijingClock(call.deadlineAt), received: !!call.receivedAt };
  }

  private linkCallId(token: string): string {
    const v = this.channels.signer.verify(token);
    if (!v) throw new AppError(WakeupErrors.LinkInvalid, 'this link is not valid', [{ field: 'token', problem: 'not a link we issued' }]);
    if (v.expiresAt < this.clock.now())
      throw new AppError(WakeupErrors.LinkExpired, 'this link has expired', [{ field: 'token', problem: 'expired' }]);
    return v.callId;
  }

  /**
   * A reply SMS meaning "received" answers EVERY call still waiting for this number's
   * "received" in active campaigns: a warden cannot say which message he answers, and all of
   * them reached the same phone. Other texts are not answers. An unknown number changes nothing.
   */
  async bySmsReply(from: string, text: string): Promise<AckOutcome[]> {
    if (!isAckReply(text, this.config.wakeup.ackReplies)) return [];
    const open = await this.calls.openByPhone(from);
    return Promise.all(open.map((c) => this.acknowledge({ callId: c.id, stage: 'received', channel: 'sms_reply', fromPhone: from })));
  }

  /** A duty officer answers for a person after reaching him by phone; the note says how. */
  proxy(principal: Principal, callId: string, stage: Stage, note: string, counts?: Record<string, number>): Promise<AckOutcome> {
    const userId = principal.kind === 'user' ? principal.userId : null;
    return this.acknowledge({ callId, stage, channel: 'proxy', byUserId: userId, note, counts: counts ?? null, actor: principal }, (call) =>
      assertInScope(principal, call.divisionPath, 'callId'),
    );
  }
}

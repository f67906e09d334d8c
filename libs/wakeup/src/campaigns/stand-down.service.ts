import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CallCloseState, CallRepository, CallRow } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { StepRepository } from '../escalation/step.repository';
import type { CampaignRow } from './campaign.repository';

/**
 * Longest reason kept and sent: the call's `closed_reason` and the timer's `result` are
 * varchar(200), and a stand-down SMS must stay a few segments long. A CAP Cancel's note or
 * headline can be any length: an unclipped one failed the consumer on every retry, so the
 * campaign never closed and people kept being called.
 */
export const STAND_DOWN_REASON_MAX = 150;

/** The reason clipped to STAND_DOWN_REASON_MAX characters (code points, so a Chinese text is never cut mid-character). */
export function clipReason(reason: string): string {
  const chars = Array.from(reason.trim());
  return chars.length <= STAND_DOWN_REASON_MAX ? chars.join('') : `${chars.slice(0, STAND_DOWN_REASON_MAX - 1).join('')}…`;
}

export interface StandDownResult {
  /** Calls closed now (they were still standing). */
  closed: CallRow[];
  /** People told now (never told before, in this or an earlier stand-down). */
  told: number;
}

/**
 * Ends calls that no longer need an answer — the warning was cancelled or lifted, an Update
 * narrowed it past the person, an upgrade called him again — inside the caller's transaction:
 * the calls are closed with their state, their timers stop, and each person is told once why
 * (push on /warden and a durable queued SMS), so nobody keeps running to a warning that is over.
 * Idempotent per call: a call already closed keeps its state; a person already told is not told
 * again (a narrowing's stand-down, then the Cancel, is one message).
 */
@Injectable()
export class StandDownService {
  constructor(
    private readonly calls: CallRepository,
    private readonly steps: StepRepository,
    private readonly channels: CallChannels,
  ) {}

  /**
   * Closes `callIds` as `state` and, when `tell` is set, tells `tellIds` (default: the same calls)
   * — a Cancel tells everyone called, answered or not, and closes only what is still open.
   */
  async closeCalls(
    m: EntityManager,
    campaign: CampaignRow,
    input: { callIds: string[]; state: CallCloseState; reason: string; tellIds?: string[]; tell: boolean },
    now: Date,
  ): Promise<StandDownResult> {
    const reason = clipReason(input.reason);
    const closed = await this.calls.close(m, input.callIds, input.state, reason, now);
    await this.steps.cancelPendingForCalls(
      m,
      closed.map((c) => c.id),
      `${input.state}: ${reason}`,
      now,
    );
    await this.channels.boardChanged(m, closed, input.state);
    if (!input.tell) return { closed, told: 0 };
    const told = await this.calls.markToldStandDown(m, input.tellIds ?? input.callIds, now);
    await this.channels.standDown(m, campaign, told, reason);
    return { closed, told: told.length };
  }

  /**
   * The whole campaign: every call not yet answered closes as `state`; everyone called (answered
   * or not) is told once, with the reason. For a Cancel, a lift or an expiry.
   */
  async campaign(m: EntityManager, campaign: CampaignRow, state: CallCloseState, reason: string, tell: boolean, now: Date) {
    const all = await this.calls.lockCampaign(m, campaign.id);
    const open = all.filter((c) => !c.receivedAt && !c.closedState).map((c) => c.id);
    return this.closeCalls(m, campaign, { callIds: open, state, reason, tellIds: all.map((c) => c.id), tell }, now);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError, CITY_WIDE_ROLES, Clock, CommonErrors, isWithin, Principal } from '@fangxun/common';
import { inTransaction } from '@fangxun/database';
import { AckRepository } from '../acks/ack.repository';
import type { ListCampaignsQuery } from '../board/board.dto';
import { callState } from '../calls/call.mapper';
import { CallRepository } from '../calls/call.repository';
import { StepRepository } from '../escalation/step.repository';
import { WakeupErrors } from '../wakeup.errors';
import type { CampaignDto } from './campaign.dto';
import { toCampaignDto } from './campaign.mapper';
import { CampaignRepository, CampaignRow } from './campaign.repository';
import { CampaignService } from './campaign.service';

/** Reading campaigns and calls for the command room, each caller inside his own area. */
@Injectable()
export class CampaignQueryService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly calls: CallRepository,
    private readonly acks: AckRepository,
    private readonly steps: StepRepository,
    private readonly service: CampaignService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async list(principal: Principal, q: ListCampaignsQuery): Promise<CampaignDto[]> {
    const rows = await this.campaigns.list({
      state: q.state,
      warningId: q.warningId,
      withinPath: ownArea(principal) ?? undefined,
      limit: q.limit ?? 50,
    });
    return rows.map(toCampaignDto);
  }

  async get(principal: Principal, id: string): Promise<CampaignDto> {
    return toCampaignDto(await this.visible(principal, id));
  }

  async callsOf(principal: Principal, id: string) {
    await this.visible(principal, id);
    return (await this.calls.forCampaign(id, ownArea(principal) ?? undefined)).map((c) => ({
      id: c.id,
      holderId: c.holderId,
      name: c.holderName,
      role: c.holderRole,
      divisionCode: c.divisionCode,
      state: callState(c),
      origin: c.origin,
      depth: c.depth,
      reasons: c.reasons.map((r) => r.text),
      createdAt: c.createdAt.toISOString(),
      deadlineAt: c.deadlineAt.toISOString(),
      receivedAt: c.receivedAt?.toISOString() ?? null,
      receivedVia: c.receivedVia,
      doneAt: c.doneAt?.toISOString() ?? null,
      doneCounts: c.doneCounts,
      late: c.late,
      escalatedAt: c.escalatedAt?.toISOString() ?? null,
      smsStatus: c.smsStatus,
      smsCapped: c.smsCapped,
      pushSeen: !!c.pushDeliveredAt,
    }));
  }

  /** One call with its ledger (every answer on every channel) and its timers. */
  async call(principal: Principal, callId: string) {
    const c = await this.calls.get(callId);
    if (!c) throw new AppError(WakeupErrors.CallNotFound, `call ${callId} not found`, [{ field: 'id', problem: 'no such call' }]);
    if (!inArea(principal, c.divisionPath)) {
      throw new AppError(CommonErrors.OutOfScope, `call ${callId} is outside your area`, [
        { field: 'id', problem: 'outside the area you are responsible for' },
      ]);
    }
    const [acks, steps] = await Promise.all([this.acks.forCall(c.id), this.steps.forCall(c.id)]);
    return {
      id: c.id,
      campaignId: c.campaignId,
      name: c.holderName,
      divisionCode: c.divisionCode,
      state: callState(c),
      deadlineAt: c.deadlineAt.toISOString(),
      acks: acks.map((a) => ({
        stage: a.stage,
        channel: a.channel,
        accepted: a.accepted,
        late: a.late,
        note: a.note,
        counts: a.counts,
        at: a.at.toISOString(),
      })),
      steps: steps.map((s) => ({ kind: s.kind, seq: s.seq, dueAt: s.dueAt.toISOString(), state: s.state, attempts: s.attempts })),
    };
  }

  async close(principal: Principal, id: string, reason: string): Promise<CampaignDto> {
    const c = await this.visible(principal, id);
    const closed = await inTransaction(this.ds, async (m) =>
      // An order ended by the duty officer: open calls are cancelled and everyone called is told why.
      this.service.closeIn(m, c, reason, this.clock.now(), { callState: 'cancelled', tell: true }, principal),
    );
    if (!closed) throw new AppError(WakeupErrors.CampaignClosed, 'campaign already closed', [{ field: 'id', problem: 'already closed' }]);
    return toCampaignDto((await this.campaigns.get(id))!);
  }

  /** A campaign a town user has no call in is not his to see (403, never a filtered answer). */
  private async visible(principal: Principal, id: string): Promise<CampaignRow> {
    const c = await this.campaigns.get(id);
    if (!c) throw new AppError(WakeupErrors.CampaignNotFound, `campaign ${id} not found`, [{ field: 'id', problem: 'no such campaign' }]);
    const area = ownArea(principal);
    if (area && !(await this.campaigns.touchesArea(id, area)))
      throw new AppError(CommonErrors.OutOfScope, 'this campaign calls nobody in your area', [
        { field: 'id', problem: 'outside the area you are responsible for' },
      ]);
    return c;
  }
}

/** The subtree a non-city-wide user is held to; null for city-wide roles. */
export function ownArea(p: Principal): string | null {
  return p.kind === 'user' && !CITY_WIDE_ROLES.includes(p.role) ? p.divisionPath : null;
}

function inArea(p: Principal, path: string): boolean {
  const area = ownArea(p);
  return !area || isWithin(path, area);
}

import { Injectable } from '@nestjs/common';
import { Clock, Principal } from '@fangxun/common';
import { DivisionService } from '@fangxun/registry';
import { CampaignQueryService, ownArea } from '../campaigns/campaign-query.service';
import type { BoardDto, SilentPersonDto } from './board.dto';
import { toTallyDto } from './board.mapper';
import { BoardRepository, SilentRow } from './board.repository';
import { BoardFigures } from './board-figures';

/**
 * The duty officer's board for one campaign: totals and per-town figures, time to 50/90/100 %
 * answered, and everyone still silent with whom they were escalated to. A town's officers see
 * their town only (the totals are their town's).
 */
@Injectable()
export class BoardService {
  constructor(
    private readonly board: BoardRepository,
    private readonly figures: BoardFigures,
    private readonly queries: CampaignQueryService,
    private readonly divisions: DivisionService,
    private readonly clock: Clock,
  ) {}

  async forCampaign(principal: Principal, campaignId: string, town?: string): Promise<BoardDto> {
    const campaign = await this.queries.get(principal, campaignId);
    const within = await this.scopePath(principal, town);
    const now = this.clock.now();
    const tallies = await this.figures.tallies([campaign.id], within, now);
    const total = tallies.find((t) => t.townCode === null);
    const empty = {
      campaignId: campaign.id,
      townCode: null,
      recipients: 0,
      delivered: 0,
      acknowledged: 0,
      done: 0,
      late: 0,
      escalated: 0,
      unreached: 0,
      stoodDown: 0,
      cancelled: 0,
      smsCapped: 0,
      secondsTo50: null,
      secondsTo90: null,
      secondsTo100: null,
    };
    return {
      campaignId: campaign.id,
      state: campaign.state,
      at: now.toISOString(),
      total: toTallyDto(total ?? empty),
      towns: tallies.filter((t) => t.townCode !== null).map(toTallyDto),
      silent: (await this.board.silent(campaign.id, within)).map((s) => toSilentDto(s, now)),
    };
  }

  /** The subtree the caller may see: the town asked for (checked), else his own area (null: the whole city). */
  async scopePath(principal: Principal, town?: string): Promise<string | null> {
    if (town) {
      return (await this.divisions.getInScope(principal, town, 'town')).path;
    }
    return ownArea(principal);
  }
}

function toSilentDto(s: SilentRow, now: Date): SilentPersonDto {
  return {
    callId: s.callId,
    holderId: s.holderId,
    name: s.holderName,
    role: s.holderRole,
    divisionCode: s.divisionCode,
    mobile: s.mobile,
    deadlineAt: s.deadlineAt.toISOString(),
    overdue: s.deadlineAt <= now,
    escalatedAt: s.escalatedAt?.toISOString() ?? null,
    smsStatus: s.smsStatus,
    smsCapped: s.smsCapped,
    pushSeen: !!s.pushDeliveredAt,
    escalatedTo: s.escalatedTo,
  };
}

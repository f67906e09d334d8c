import type { CampaignRow } from '../campaigns/campaign.repository';
import type { CallRow } from './call.repository';

/** What a warden's phone shows: what happened, what to do, by when, and why him. */
export function toWardenCall(campaign: CampaignRow, c: CallRow) {
  return {
    callId: c.id,
    campaignId: campaign.id,
    title: campaign.title,
    message: campaign.message,
    level: campaign.level,
    warningKind: campaign.warningKind,
    drill: campaign.drill,
    deadlineAt: c.deadlineAt.toISOString(),
    reasons: c.reasons.map((r) => r.text),
    origin: c.origin,
  };
}

export function callState(c: CallRow): 'done' | 'received' | 'escalated' | 'waiting' {
  if (c.doneAt) return 'done';
  if (c.receivedAt) return 'received';
  return c.escalatedAt ? 'escalated' : 'waiting';
}

/** The command board's row for one call (phone masked: screens are seen by many). */
export function toCallChangedEvent(c: CallRow, change: string) {
  return {
    change,
    campaignId: c.campaignId,
    callId: c.id,
    holderName: c.holderName,
    divisionCode: c.divisionCode,
    state: callState(c),
    receivedAt: c.receivedAt?.toISOString() ?? null,
    receivedVia: c.receivedVia,
    late: c.late,
    escalatedAt: c.escalatedAt?.toISOString() ?? null,
  };
}

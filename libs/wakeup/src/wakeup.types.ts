import type { AuditActor } from '@fangxun/audit';
import type { WakeupLevel, WakeupPolicy, WakeupReasonKind } from '@fangxun/config';

export type Level = WakeupLevel;
export type Stage = 'received' | 'done';
export const ACK_CHANNELS = ['socket', 'link', 'sms_reply', 'proxy'] as const;
export type AckChannel = (typeof ACK_CHANNELS)[number];
export const STAGES = ['received', 'done'] as const;
export const CAMPAIGN_SOURCES = ['warning', 'manual', 'order', 'evacuation'] as const;
export type CampaignSource = (typeof CAMPAIGN_SOURCES)[number];

/** Why a person is called: a reason from "who must answer", or an escalation. */
export interface CallReason {
  kind: WakeupReasonKind | 'escalation' | 'named';
  text: string;
  via?: Record<string, string>;
}

/** A person to call, as the campaign snapshots them. */
export interface Recipient {
  holderId: string;
  name: string;
  role: string;
  divisionCode: string;
  divisionPath: string;
  mobile: string;
  reasons: CallReason[];
}

/** A registry holder as a recipient, with why he is called. */
export function recipientOf(
  h: { id: string; name: string; role: string; divisionCode: string; divisionPath: string; mobile: string },
  reasons: CallReason[],
): Recipient {
  return {
    holderId: h.id,
    name: h.name,
    role: h.role,
    divisionCode: h.divisionCode,
    divisionPath: h.divisionPath,
    mobile: h.mobile,
    reasons,
  };
}

/** What starts a campaign: a warning (from the feeds' outbox), a duty officer's order, a response order (指令), or an evacuation order's tasks. */
export interface StartCampaignInput {
  source: CampaignSource;
  /** Idempotency: the same key starts one campaign, however many times it is asked. */
  sourceKey: string;
  warningId?: string;
  warningKind: string;
  level: Level;
  title: string;
  message: string;
  drill: boolean;
  createdBy: string;
  /** Recipients already chosen (rules applied), with the area and rule for the record. */
  recipients: Recipient[];
  unreachable: Array<{ holderId: string; name: string; reason: string }>;
  ruleName: string | null;
  area: Record<string, unknown>;
  /** A response level's policy (followed while stricter than the colour's). */
  policy?: WakeupPolicy | null;
  /** Who started it, for the audit log; a warning's campaign is the system's. */
  actor?: AuditActor;
}

export interface StartedCampaign {
  campaignId: string;
  created: boolean;
  calls: number;
}

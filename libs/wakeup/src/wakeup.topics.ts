import type { AckChannel, Stage } from './wakeup.types';

/**
 * What the wake-up tells other modules on the outbox (they never read its tables): an answer
 * that counted, and a silent call escalated at its deadline. Consumers match on `sourceKey`
 * (the key they started the campaign with) or `campaignId`.
 */
export const WAKEUP_TOPICS = {
  callAnswered: 'wakeup.call_answered',
  callEscalated: 'wakeup.call_escalated',
} as const;

/** `wakeup.call_answered`: the first valid answer of its stage (later ones are ledger only, not published). */
export interface CallAnsweredPayload {
  callId: string;
  campaignId: string;
  /** The campaign's source key (`order:<id>` for a response order), so a consumer needs no look-up. */
  sourceKey: string;
  holderId: string | null;
  /** `recipient`: the person the campaign named; `escalation`: a superior called about someone silent. */
  origin: 'recipient' | 'escalation';
  stage: Stage;
  via: AckChannel;
  at: string;
  late: boolean;
  counts: Record<string, number> | null;
}

/** `wakeup.call_escalated`: the call stayed silent to its deadline; `reached` says who was called about it. */
export interface CallEscalatedPayload {
  callId: string;
  campaignId: string;
  /** The campaign's source key (`order:<id>` for a response order), so a consumer needs no look-up. */
  sourceKey: string;
  holderId: string | null;
  at: string;
  reached: string[];
}

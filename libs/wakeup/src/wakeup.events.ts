import type { TallyDto } from './board/board.dto';
import type { toCallChangedEvent, toWardenCall } from './calls/call.mapper';
import type { CallCloseState } from './calls/call.repository';

/** A call on the warden's phone (`/warden`, room person:<holderId>). Answer with `call.ack {callId, stage?, counts?}`. */
export type WardenCallEvent = ReturnType<typeof toWardenCall>;
/** A call's state changed (answer, escalation, SMS receipt): `/command`, the call's division and above. */
export type CallChangedEvent = ReturnType<typeof toCallChangedEvent>;

/**
 * The wake-up's events on the live channel (name → payload), merged into the channel's typed
 * event map: `RealtimeService.publish` refuses, at compile time, a payload that is not its
 * event's, and a typed client (`RealtimeServerEvents`) knows each payload (plus the event `id`).
 */
declare module '@fangxun/notify' {
  interface ServerEvents {
    'wakeup.call': WardenCallEvent;
    'wakeup.call_answered': CallChangedEvent;
    'wakeup.escalation': { campaignId: string; silentCallId: string; silentName: string; text: string };
    'wakeup.call_changed': CallChangedEvent;
    'wakeup.campaign_started': { campaignId: string; level: string; title: string; calls: number; drill: boolean };
    'wakeup.campaign_closed': { campaignId: string; reason: string; closedAt: string };
    /** Your call is over (/warden): the warning was cancelled or lifted, or no longer covers you. Nothing to answer. */
    'wakeup.stand_down': { callId: string; campaignId: string; state: CallCloseState | null; title: string; reason: string };
    /** A running campaign followed an Update (/command): its level, title and number of calls now. */
    'wakeup.campaign_updated': { campaignId: string; level: string; title: string; added: number; stoodDown: number };
    'wakeup.campaign_progress': TallyDto & { campaignId: string; at: string };
  }
}

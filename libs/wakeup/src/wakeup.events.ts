import type { RealtimeMessage } from '@fangxun/notify';
import type { TallyDto } from './board/board.dto';
import type { toCallChangedEvent, toWardenCall } from './calls/call.mapper';

/** A call on the warden's phone (`/warden`, room person:<holderId>). Answer with `call.ack {callId, stage?, counts?}`. */
export type WardenCallEvent = ReturnType<typeof toWardenCall>;
/** A call's state changed (answer, escalation, SMS receipt): `/command`, the call's division and above. */
export type CallChangedEvent = ReturnType<typeof toCallChangedEvent>;

/**
 * The wake-up's events on the live channel, merged into the channel's typed event map, so a
 * typed client (`Socket<RealtimeServerEvents>`) knows each payload.
 */
declare module '@fangxun/notify' {
  interface RealtimeServerEvents {
    'wakeup.call': RealtimeMessage<WardenCallEvent>;
    'wakeup.call_answered': RealtimeMessage<CallChangedEvent>;
    'wakeup.escalation': RealtimeMessage<{ campaignId: string; silentCallId: string; silentName: string; text: string }>;
    'wakeup.call_changed': RealtimeMessage<CallChangedEvent>;
    'wakeup.campaign_started': RealtimeMessage<{ campaignId: string; level: string; title: string; calls: number; drill: boolean }>;
    'wakeup.campaign_closed': RealtimeMessage<{ campaignId: string; reason: string; closedAt: string }>;
    /** Your call is over (/warden): the warning was cancelled or lifted, or no longer covers you. Nothing to answer. */
    'wakeup.stand_down': RealtimeMessage<{ callId: string; campaignId: string; state: string; title: string; reason: string }>;
    /** A running campaign followed an Update (/command): its level, title and number of calls now. */
    'wakeup.campaign_updated': RealtimeMessage<{ campaignId: string; level: string; title: string; added: number; stoodDown: number }>;
    'wakeup.campaign_progress': RealtimeMessage<TallyDto & { campaignId: string; at: string }>;
  }
}

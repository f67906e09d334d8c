import type { TallyDto } from './board.dto';
import type { TallyRow } from './board.repository';

/** Seconds until `share` of the recipients had answered, or null while fewer have. */
export function secondsToShare(answerSeconds: number[], recipients: number, share: number): number | null {
  const needed = Math.ceil(recipients * share);
  if (needed === 0 || answerSeconds.length < needed) return null;
  return answerSeconds[needed - 1];
}

export function toTallyDto(t: TallyRow): TallyDto {
  return {
    townCode: t.townCode,
    recipients: t.recipients,
    delivered: t.delivered,
    acknowledged: t.acknowledged,
    done: t.done,
    late: t.late,
    escalated: t.escalated,
    unreached: t.unreached,
    stoodDown: t.stoodDown,
    cancelled: t.cancelled,
    smsCapped: t.smsCapped,
    answerRate: t.recipients ? Math.round((t.acknowledged / t.recipients) * 1000) / 1000 : 0,
    secondsTo50: secondsToShare(t.answerSeconds, t.recipients, 0.5),
    secondsTo90: secondsToShare(t.answerSeconds, t.recipients, 0.9),
    secondsTo100: secondsToShare(t.answerSeconds, t.recipients, 1),
  };
}

import type { TallyDto } from './board.dto';
import type { TallyRow } from './board.repository';

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
    secondsTo50: t.secondsTo50,
    secondsTo90: t.secondsTo90,
    secondsTo100: t.secondsTo100,
  };
}

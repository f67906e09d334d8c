import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UUID_PATTERN } from '@fangxun/common';
import { inTransaction, type OutboxEvent } from '@fangxun/database';
import { toWarningEvent } from '@fangxun/feeds';
import { AckService } from '../acks/ack.service';
import { CallRepository } from '../calls/call.repository';
import { CallChannels } from '../calls/call-channels';
import { WarningCampaigns } from '../campaigns/warning-campaigns';

/** The outbox consumer name: every event the wake-up reads, it reads once under this name. */
export const WAKEUP_CONSUMER = 'wakeup';

/**
 * What the wake-up does with other modules' events: warnings start and close campaigns, SMS
 * replies acknowledge calls, delivery receipts mark calls delivered. Each handler is idempotent
 * (a campaign per warning, one accepted answer per stage, a status set), because an event whose
 * consumer died before acking it is delivered again.
 */
@Injectable()
export class WakeupEventsHandler {
  private readonly log = new Logger(WakeupEventsHandler.name);

  constructor(
    private readonly warnings: WarningCampaigns,
    private readonly acks: AckService,
    private readonly calls: CallRepository,
    private readonly channels: CallChannels,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async handle(e: OutboxEvent): Promise<string> {
    if (e.topic.startsWith('warning.')) {
      const warning = toWarningEvent(e.payload);
      return warning ? this.warnings.onEvent(e.topic, warning) : 'malformed warning event';
    }
    if (e.topic === 'sms.reply') {
      const p = e.payload as { from?: string; text?: string };
      if (!p.from || typeof p.text !== 'string') return 'malformed reply event';
      const answered = await this.acks.bySmsReply(p.from, p.text);
      return answered.length ? `reply answered ${answered.length} call(s)` : 'reply matched no open call';
    }
    if (e.topic === 'sms.status_changed') return `${await this.smsStatuses([e])} call(s) updated`;
    return 'ignored';
  }

  /**
   * SMS status changes of wake-up calls, many at once (a sender reports 500 sends in one go):
   * one UPDATE and one board publish for the lot. A call's last status in the batch wins,
   * except that "delivered" is never taken back.
   */
  async smsStatuses(events: OutboxEvent[]): Promise<number> {
    const last = new Map<string, string>();
    for (const e of events) {
      const p = e.payload as { refType?: string; refId?: string; status?: string };
      if (p.refType !== 'wakeup_call' || !p.refId || !p.status || !UUID_PATTERN.test(p.refId)) continue;
      if (last.get(p.refId) !== 'delivered') last.set(p.refId, p.status);
    }
    if (!last.size) return 0;
    return inTransaction(this.ds, async (m) => {
      const changed = await this.calls.setSmsStatuses(m, [...last]);
      await this.channels.boardChanged(m, changed, 'sms_status');
      return changed.length;
    });
  }

  isSmsStatus(e: OutboxEvent): boolean {
    return e.topic === 'sms.status_changed';
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { OutboxEvent } from '@fangxun/database';
import { AckService } from '../acks/ack.service';
import { CallChannels } from '../calls/call-channels';
import { CallRepository } from '../calls/call.repository';
import { CampaignRepository } from '../campaigns/campaign.repository';
import { WarningCampaigns, WarningEvent } from '../campaigns/warning-campaigns';

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
    private readonly campaigns: CampaignRepository,
    private readonly channels: CallChannels,
  ) {}

  async handle(e: OutboxEvent): Promise<string> {
    if (e.topic.startsWith('warning.')) return this.warnings.onEvent(e.topic, e.payload as unknown as WarningEvent);
    if (e.topic === 'sms.reply') {
      const p = e.payload as { from?: string; text?: string };
      if (!p.from || typeof p.text !== 'string') return 'malformed reply event';
      const answered = await this.acks.bySmsReply(p.from, p.text);
      return answered.length ? `reply answered ${answered.length} call(s)` : 'reply matched no open call';
    }
    if (e.topic === 'sms.status_changed') {
      const p = e.payload as { refType?: string; refId?: string; status?: string };
      if (p.refType !== 'wakeup_call' || !p.refId || !p.status) return 'not a wake-up SMS';
      return this.campaigns.transaction(async (m) => {
        const call = await this.calls.setSmsStatus(m, p.refId!, p.status!);
        if (call) await this.channels.boardChanged(m, [call], `sms_${p.status}`);
        return `call ${p.refId} sms ${p.status}`;
      });
    }
    return 'ignored';
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { CallChannels } from '../calls/call-channels';
import { toTallyDto } from './board.mapper';
import { BoardRepository } from './board.repository';
import { BoardFigures } from './board-figures';

/**
 * Pushes each active campaign's figures to the command room (`wakeup.campaign_progress`, the
 * total to the city screens, each town's to that town) when they changed, at most every
 * `boardPushMs`. Call-level changes go out as they happen (`wakeup.call_changed`); these are
 * the summaries a wall screen shows without adding thousands of rows up itself.
 */
@Injectable()
export class BoardPublisher {
  private lastAt = 0;
  private readonly last = new Map<string, string>();

  constructor(
    private readonly board: BoardRepository,
    private readonly figures: BoardFigures,
    private readonly channels: CallChannels,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async publishChanged(force = false): Promise<number> {
    // The push rate is a load limit, so it runs on real time; the figures use the domain clock.
    if (!force && Date.now() - this.lastAt < this.config.wakeup.boardPushMs) return 0;
    this.lastAt = Date.now();
    const now = this.clock.now();
    const ids = await this.board.activeCampaignIds();
    if (!ids.length) return 0;
    return inTransaction(this.ds, async (m) => {
      // One worker publishes per round; another running at the same moment skips.
      if (!(await this.board.tryPublishLock(m))) return 0;
      await this.board.fold(m);
      let sent = 0;
      // Forget what was pushed for campaigns that are over: nothing here grows from one storm to the next.
      const active = new Set(ids);
      for (const key of this.last.keys()) if (!active.has(key.slice(0, key.indexOf(':')))) this.last.delete(key);
      for (const t of await this.figures.tallies(ids, null, now)) {
        const payload = { campaignId: t.campaignId, ...toTallyDto(t) };
        const key = `${t.campaignId}:${t.townCode ?? '*'}`;
        const text = JSON.stringify(payload);
        if (this.last.get(key) === text) continue;
        this.last.set(key, text);
        await this.channels.campaignEvent(
          m,
          'wakeup.campaign_progress',
          { ...payload, at: now.toISOString() },
          t.townCode ? [t.townCode] : [],
        );
        sent++;
      }
      return sent;
    });
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import cron, { ScheduledTask } from 'node-cron';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { activeCron, FEED_CRON_TIME_ZONE } from './feed-cadence';
import { FeedPollService } from './feed-poll.service';
import type { PollOutcome } from './feed-poll.types';

/**
 * Worker-only: one node-cron task per feed and cadence (normal and flood-season). A tick only
 * decides whether its cadence is the one in force today (by the injected clock) and hands the
 * feed to FeedPollService, whose claim makes a second worker's tick a no-op.
 */
@Injectable()
export class FeedPollScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(FeedPollScheduler.name);
  private readonly tasks: ScheduledTask[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly polls: FeedPollService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    for (const feed of this.polls.feeds()) {
      for (const expr of new Set([feed.cron, feed.cronFloodSeason ?? feed.cron])) {
        const task = cron.schedule(expr, () => this.tick(feed.name, expr).catch(() => undefined), {
          name: `feed:${feed.name}:${expr}`,
          timezone: FEED_CRON_TIME_ZONE,
          noOverlap: true,
        });
        this.tasks.push(task);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.tasks.splice(0).map((t) => t.destroy()));
  }

  /** One firing of `expr` for a feed: polls only if that cadence governs the feed today. */
  async tick(name: string, expr: string): Promise<PollOutcome | 'off-cadence'> {
    const feed = this.polls.feed(name);
    if (activeCron(feed, this.clock.now(), this.config.feeds.floodSeason) !== expr) return 'off-cadence';
    try {
      return await this.polls.poll(name, 'schedule');
    } catch (err) {
      // A tick must never crash the worker; the cursor already holds the failure.
      this.log.error(`feed ${name}: poll crashed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }
}

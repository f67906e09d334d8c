import type { PolledFeedConfig } from '@fangxun/config';
import type { FeedStateDto } from './feed.dto';
import type { FeedCursorRow } from './feed-cursor.repository';

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** Strips the query string and credentials: a URL may carry an API key. */
export function publicUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

export function toFeedStateDto(
  feed: PolledFeedConfig,
  cursor: FeedCursorRow | undefined,
  cadence: { floodSeason: boolean; active: string; nextRunAt: Date | null },
  now: Date,
): FeedStateDto {
  return {
    name: feed.name,
    adapter: feed.adapter,
    url: publicUrl(feed.url),
    cadence: { cron: feed.cron, cronFloodSeason: feed.cronFloodSeason ?? null, floodSeason: cadence.floodSeason, active: cadence.active },
    nextRunAt: iso(cadence.nextRunAt),
    lastObservedAt: iso(cursor?.lastObservedAt),
    lastAttemptAt: iso(cursor?.lastAttemptAt),
    lastSuccessAt: iso(cursor?.lastSuccessAt),
    consecutiveFailures: cursor?.consecutiveFailures ?? 0,
    lastError: cursor?.lastError ?? null,
    failingSince: iso(cursor?.failingSince),
    polling: !!cursor?.leaseUntil && new Date(cursor.leaseUntil) > now,
  };
}

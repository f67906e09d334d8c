import cron from 'node-cron';
import type { PolledFeedConfig } from '@fangxun/config';

/** Cron expressions are read in Beijing time, as the duty rota and the flood season are. */
export const FEED_CRON_TIME_ZONE = 'Asia/Shanghai';

/** Flood season bounds as Beijing month-days, inclusive ("04-15" … "10-15"). */
export interface FloodSeason {
  from: string;
  to: string;
}

/** Month-day (MM-DD) of an instant in Beijing time: the season follows the local calendar. */
export function beijingMonthDay(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000); // China has kept UTC+8 without DST since 1991
  return `${String(local.getUTCMonth() + 1).padStart(2, '0')}-${String(local.getUTCDate()).padStart(2, '0')}`;
}

/** Whether `at` falls in the flood season; a season may wrap the new year (from > to). */
export function inFloodSeason(at: Date, season: FloodSeason): boolean {
  const md = beijingMonthDay(at);
  return season.from <= season.to ? md >= season.from && md <= season.to : md >= season.from || md <= season.to;
}

/** The cron expression that governs a feed at `at`: the flood-season one when it applies. */
export function activeCron(feed: Pick<PolledFeedConfig, 'cron' | 'cronFloodSeason'>, at: Date, season: FloodSeason): string {
  return feed.cronFloodSeason && inFloodSeason(at, season) ? feed.cronFloodSeason : feed.cron;
}

/** Next firing of a cron expression read in `timeZone` (node-cron reckons from the wall clock). */
export function nextRun(expr: string, timeZone: string): Date | null {
  const task = cron.createTask(expr, () => undefined, { timezone: timeZone });
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    void task.destroy();
  }
}

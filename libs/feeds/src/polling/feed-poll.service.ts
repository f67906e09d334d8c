import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, Clock, CommonErrors, notFound } from '@fangxun/common';
import { APP_CONFIG, AppConfig, PolledFeedConfig } from '@fangxun/config';
import type { RawReading } from '../readings/reading.types';
import { ReadingIngestService } from '../readings/reading-ingest.service';
import { FeedShapeError } from './adapters/feed-adapter.types';
import { planWindows, PollWindow } from './backfill-windows';
import type { FeedStateDto } from './feed.dto';
import { toFeedStateDto } from './feed.mapper';
import { activeCron, FEED_CRON_TIME_ZONE, inFloodSeason, nextRun } from './feed-cadence';
import { FeedCursorRepository, FeedCursorRow } from './feed-cursor.repository';
import { FeedFetchError, FeedHttpClient } from './feed-http.client';
import { parseFeedPayload, toRawReadings } from './feed-parser';
import { addReport, emptyReport, PollOutcome } from './feed-poll.types';

/**
 * Polls one feed: claim its cursor, fetch (one request, or back-fill windows from the cursor
 * when the feed takes a time range), parse at the edge, hand rows to ingest as `poll:<name>`,
 * and record the cursor. Safe to call from two workers at once: only one gets the claim.
 */
@Injectable()
export class FeedPollService {
  private readonly log = new Logger(FeedPollService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cursors: FeedCursorRepository,
    private readonly http: FeedHttpClient,
    private readonly ingest: ReadingIngestService,
    private readonly clock: Clock,
  ) {}

  /** Enabled feeds in config order. */
  feeds(): PolledFeedConfig[] {
    return this.config.feeds.polled.filter((f) => f.enabled);
  }

  feed(name: string): PolledFeedConfig {
    const feed = this.feeds().find((f) => f.name === name);
    if (!feed) throw notFound('feed', 'name', name);
    return feed;
  }

  /** Every enabled feed with its cursor and cadence, for the duty officer. */
  async states(): Promise<FeedStateDto[]> {
    const cursors = new Map((await this.cursors.list()).map((c) => [c.name, c]));
    const now = this.clock.now();
    const season = this.config.feeds.floodSeason;
    return this.feeds().map((feed) => {
      const active = activeCron(feed, now, season);
      const cadence = { floodSeason: inFloodSeason(now, season), active, nextRunAt: nextRun(active, FEED_CRON_TIME_ZONE) };
      return toFeedStateDto(feed, cursors.get(feed.name), cadence, now);
    });
  }

  /** "Poll now" from the API: a feed being polled elsewhere is a 409, not a second poll. */
  async pollNow(name: string): Promise<PollOutcome> {
    const outcome = await this.poll(name, 'manual');
    if (outcome.status === 'busy') {
      throw new AppError(CommonErrors.Conflict, `feed ${name} is being polled`, [
        { field: 'name', problem: 'being polled by another worker; try again shortly' },
      ]);
    }
    return outcome;
  }

  async poll(name: string, trigger: PollOutcome['trigger']): Promise<PollOutcome> {
    const feed = this.feed(name);
    const at = this.clock.now();
    await this.cursors.ensure([feed.name]);
    const cursor = await this.cursors.claim(feed.name, at, new Date(at.getTime() + this.config.feeds.polling.leaseSeconds * 1000));
    const outcome: PollOutcome = {
      feed: feed.name,
      status: 'busy',
      trigger,
      requests: 0,
      attempts: 0,
      handed: 0,
      report: emptyReport(),
      skipped: 0,
      skippedSamples: [],
      error: null,
      observedUpTo: null,
    };
    if (!cursor) return outcome;
    let upTo: Date | null = null;
    // A long back-fill stops well inside the lease (the next tick goes on from the cursor), so
    // another worker never finds the lease expired while this one is still fetching.
    const stopAt = at.getTime() + this.config.feeds.polling.leaseSeconds * 800;
    try {
      for (const window of this.windows(feed, cursor, at)) {
        if (outcome.requests > 0 && this.clock.now().getTime() > stopAt) break;
        const seen = await this.pollWindow(feed, window, outcome);
        if (seen && (!upTo || seen > upTo)) upTo = seen;
      }
      outcome.status = 'ok';
    } catch (err) {
      outcome.status = 'failed';
      outcome.error = failureText(err);
      this.log.warn(`feed ${feed.name}: ${outcome.error}`);
    }
    outcome.observedUpTo = upTo?.toISOString() ?? null;
    await this.cursors.record(feed.name, {
      at,
      ok: outcome.status === 'ok',
      observedUpTo: upTo,
      error: outcome.error,
      report: { ...outcome },
      failingAfter: feed.failingAfter,
    });
    return outcome;
  }

  /** null = the feed takes no range: one plain request. */
  private windows(feed: PolledFeedConfig, cursor: FeedCursorRow, now: Date): Array<PollWindow | null> {
    if (feed.adapter !== 'generic-json' || !feed.mapping.fromParam) return [null];
    return planWindows(now, cursor.lastObservedAt, feed.mapping);
  }

  /** Fetches, parses and ingests one window; returns the latest observed time it accepted. */
  private async pollWindow(feed: PolledFeedConfig, window: PollWindow | null, outcome: PollOutcome): Promise<Date | null> {
    const params: Record<string, string> = {};
    if (window && feed.adapter === 'generic-json' && feed.mapping.fromParam && feed.mapping.toParam) {
      params[feed.mapping.fromParam] = window.from.toISOString();
      params[feed.mapping.toParam] = window.to.toISOString();
    }
    outcome.requests++;
    let fetched;
    try {
      fetched = await this.http.getJson(feed, params);
      outcome.attempts += fetched.attempts;
    } catch (err) {
      if (err instanceof FeedFetchError) outcome.attempts += err.attempts;
      throw err;
    }
    // A body of the wrong shape throws here, before anything of it reaches ingest.
    const parsed = parseFeedPayload(feed, fetched.body);
    outcome.skipped += parsed.problems.length;
    outcome.skippedSamples = [...outcome.skippedSamples, ...parsed.problems].slice(0, 20);
    const rows = toRawReadings(feed, parsed);
    if (!rows.length) return null;
    // Ingest refuses batches above ingestMaxRows whole; a big national payload goes in slices.
    let latest: Date | null = null;
    for (let i = 0; i < rows.length; i += this.config.feeds.ingestMaxRows) {
      const slice = rows.slice(i, i + this.config.feeds.ingestMaxRows);
      const report = await this.ingest.ingest(slice, `poll:${feed.name}`);
      outcome.report = addReport(outcome.report, report, outcome.handed);
      outcome.handed += slice.length;
      const seen = latestAccepted(slice, report.errors);
      if (seen && (!latest || seen > latest)) latest = seen;
    }
    return latest;
  }
}

function latestAccepted(rows: RawReading[], errors: Array<{ index: number }>): Date | null {
  const refused = new Set(errors.map((e) => e.index));
  let latest: Date | null = null;
  rows.forEach((r, i) => {
    if (refused.has(i)) return;
    const t = new Date(r.observedAt);
    if (!Number.isNaN(t.getTime()) && (!latest || t > latest)) latest = t;
  });
  return latest;
}

function failureText(err: unknown): string {
  if (err instanceof FeedFetchError) return `${err.message} after ${err.attempts} attempt(s)`;
  if (err instanceof FeedShapeError) return `unexpected body: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@fangxun/database';

/** Where a feed stands: what a restart resumes from and what the duty officer sees. */
export interface FeedCursorRow {
  name: string;
  lastObservedAt: Date | null;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
  lastError: string | null;
  lastReport: Record<string, unknown> | null;
  leaseUntil: Date | null;
  failingSince: Date | null;
}

/** What one poll changes on the cursor. */
export interface PollRecord {
  at: Date;
  ok: boolean;
  /** Latest observedAt handed to ingest (the cursor only moves forward). */
  observedUpTo: Date | null;
  error: string | null;
  report: Record<string, unknown>;
  failingAfter: number;
}

const COLUMNS = `c.name, c.last_observed_at as "lastObservedAt", c.last_attempt_at as "lastAttemptAt",
  c.last_success_at as "lastSuccessAt", c.consecutive_failures as "consecutiveFailures",
  c.last_error as "lastError", c.last_report as "lastReport", c.lease_until as "leaseUntil"`;

@Injectable()
export class FeedCursorRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** A row per configured feed, so that claiming has something to lock. */
  async ensure(names: string[]): Promise<void> {
    if (!names.length) return;
    await this.ds.query(`insert into feed_cursors (name) select unnest($1::varchar[]) on conflict (name) do nothing`, [names]);
  }

  /**
   * Takes the feed for one poll: skips a row another worker has locked this instant and one
   * whose lease has not run out. The lease (not an open transaction) covers the HTTP fetch,
   * so a slow feed never holds a database connection, and a dead worker's claim expires.
   */
  async claim(name: string, now: Date, leaseUntil: Date): Promise<FeedCursorRow | null> {
    const rows: FeedCursorRow[] = await this.ds.query(
      `with free as (
         select name from feed_cursors
         where name = $1 and (lease_until is null or lease_until <= $2)
         for update skip locked),
       c as (
         update feed_cursors f set lease_until = $3, last_attempt_at = $2, updated_at = now()
         from free where f.name = free.name returning f.*)
       select ${COLUMNS}, null::timestamptz as "failingSince" from c`,
      [name, now, leaseUntil],
    );
    return rows[0] ?? null;
  }

  /** Records the outcome, releases the lease, and opens or closes the feed_failing alert, at once. */
  async record(name: string, r: PollRecord): Promise<void> {
    await inTransaction(this.ds, async (m) => {
      const [row]: Array<{ failures: number }> = await m.query(
        `with c as (
           update feed_cursors set
             lease_until = null, updated_at = now(), last_report = $2::jsonb,
             last_observed_at = greatest(last_observed_at, $3::timestamptz),
             last_success_at = case when $4 then $5::timestamptz else last_success_at end,
             consecutive_failures = case when $4 then 0 else consecutive_failures + 1 end,
             last_error = case when $4 then null else left($6, 500) end
           where name = $1 returning consecutive_failures)
         select consecutive_failures as failures from c`,
        [name, JSON.stringify(r.report), r.observedUpTo, r.ok, r.at, r.error],
      );
      if (r.ok) {
        await m.query(`update feed_poll_alerts set closed_at = $2 where feed_name = $1 and closed_at is null`, [name, r.at]);
      } else if (row && row.failures >= r.failingAfter) {
        await m.query(
          `insert into feed_poll_alerts (feed_name, opened_at, failures, last_error) values ($1, $2, $3, left($4, 500))
           on conflict (feed_name, kind) where closed_at is null
           do update set failures = excluded.failures, last_error = excluded.last_error`,
          [name, r.at, row.failures, r.error],
        );
      }
    });
  }

  /** Every cursor with the opening time of its open alert, if any. */
  async list(): Promise<FeedCursorRow[]> {
    return this.ds.query(
      `select ${COLUMNS}, a.opened_at as "failingSince"
       from feed_cursors c left join feed_poll_alerts a on a.feed_name = c.name and a.closed_at is null
       order by c.name`,
    );
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Polled HTTP feeds: one cursor row per configured feed (where a restart resumes, who holds
 * it now) and the `feed_failing` alerts a feed raises after N failed polls in a row. The
 * station-level feed_health_alerts table needs a station, so feed-level alerts live here.
 */
export class FeedPolling1764300000520 implements MigrationInterface {
  name = 'FeedPolling1764300000520';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table feed_cursors (
        name varchar(40) primary key,
        last_observed_at timestamptz,
        last_attempt_at timestamptz,
        last_success_at timestamptz,
        consecutive_failures int not null default 0 check (consecutive_failures >= 0),
        last_error varchar(500),
        last_report jsonb,
        lease_until timestamptz,
        updated_at timestamptz not null default now()
      )`);
    await q.query(`
      create table feed_poll_alerts (
        id uuid primary key default gen_random_uuid(),
        feed_name varchar(40) not null references feed_cursors(name) on delete cascade,
        kind varchar(20) not null default 'feed_failing' check (kind in ('feed_failing')),
        opened_at timestamptz not null,
        failures int not null,
        last_error varchar(500),
        closed_at timestamptz,
        check (closed_at is null or closed_at >= opened_at)
      )`);
    // One open alert per feed: two workers failing the same feed cannot open two.
    await q.query('create unique index feed_poll_alerts_open_uq on feed_poll_alerts (feed_name, kind) where closed_at is null');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table feed_poll_alerts');
    await q.query('drop table feed_cursors');
  }
}

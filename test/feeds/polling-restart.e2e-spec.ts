import request from 'supertest';
import { FeedPollScheduler } from '../../libs/feeds/src/polling/feed-poll.scheduler';
import type { TestApp } from '../support/app';
import { truncateAll } from '../support/app';
import { loginAll, seedTree, seedUsers } from '../support/fixtures';
import { bootFeeds, FakeClock, feed, FeedServer, RecordingIngest } from './polling.support';

/** Beijing wall time without offset, as many mainland gauge networks send it. */
function beijing(t: Date): string {
  return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

describe('a polled feed across a worker restart and an outage', () => {
  const server = new FeedServer();
  const clock = new FakeClock(new Date('2026-07-28T02:00:00Z'));
  const cron = '*/10 * * * *';
  let feeds: ReturnType<typeof feed>[];

  beforeAll(async () => {
    await server.start();
    // The stand-in network: one reading per station every 10 minutes, in (from, to], Beijing time.
    server.setDefault('/rain', (q) => {
      const from = Date.parse(q.get('start') ?? '');
      const to = Date.parse(q.get('end') ?? '');
      const items = [];
      for (let at = Math.floor(from / 600_000) * 600_000 + 600_000; at <= to; at += 600_000) {
        items.push({ stcd: '70101', tm: beijing(new Date(at)), drp: '0.5' });
      }
      return { body: { code: 0, data: items } };
    });
    feeds = [
      feed({
        name: 'linhai-hydro',
        adapter: 'generic-json',
        url: server.url('/rain'),
        cron,
        stationPrefix: 'LH',
        mapping: {
          itemsPath: 'data',
          stationField: 'stcd',
          timeField: 'tm',
          valueField: 'drp',
          unit: 'mm',
          intervalMinutes: 10,
          timeZone: 'Asia/Shanghai',
          missingValues: [],
          fromParam: 'start',
          toParam: 'end',
          backfillChunkMinutes: 60,
          backfillMaxMinutes: 24 * 60,
        },
      }),
    ];
  });

  afterAll(async () => {
    await server.stop();
  });

  it('stops after the first poll; the new app resumes from the stored cursor and back-fills the 3-hour gap in 1-hour chunks', async () => {
    const firstIngest = new RecordingIngest();
    const first: TestApp = await bootFeeds(feeds, clock, firstIngest);
    await truncateAll(first.ds);
    try {
      const out = await first.app.get(FeedPollScheduler).tick('linhai-hydro', cron);
      expect(out).toMatchObject({ status: 'ok', requests: 1, handed: 6, observedUpTo: '2026-07-28T02:00:00.000Z' });
      expect(firstIngest.batches[0].source).toBe('poll:linhai-hydro');
      expect(firstIngest.rows()[0]).toEqual({
        stationCode: 'LH70101',
        observedAt: new Date('2026-07-28T01:10:00Z'),
        value: 0.5,
        unit: 'mm',
        intervalMinutes: 10,
      });
    } finally {
      await first.close();
    }

    // The worker is down from 02:00 to 05:00 UTC (10:00–13:00 in Linhai).
    server.reset();
    clock.set('2026-07-28T05:00:00Z');
    const secondIngest = new RecordingIngest();
    const second = await bootFeeds(feeds, clock, secondIngest);
    try {
      const out = await second.app.get(FeedPollScheduler).tick('linhai-hydro', cron);
      expect(out).toMatchObject({ status: 'ok', requests: 3, attempts: 3, handed: 18, observedUpTo: '2026-07-28T05:00:00.000Z' });
      expect(server.requests.map((r) => [r.query.get('start'), r.query.get('end')])).toEqual([
        ['2026-07-28T02:00:00.000Z', '2026-07-28T03:00:00.000Z'],
        ['2026-07-28T03:00:00.000Z', '2026-07-28T04:00:00.000Z'],
        ['2026-07-28T04:00:00.000Z', '2026-07-28T05:00:00.000Z'],
      ]);
      const times = secondIngest.rows().map((r) => new Date(r.observedAt).toISOString());
      const expected = Array.from({ length: 18 }, (_, i) => new Date(Date.parse('2026-07-28T02:10:00Z') + i * 600_000).toISOString());
      expect(times).toEqual(expected);

      await seedTree(second.ds);
      await seedUsers(second.ds);
      const tokens = await loginAll(second);
      const list = await request(second.http).get('/api/v1/feeds').set('Authorization', `Bearer ${tokens.duty}`).expect(200);
      expect(list.body[0]).toMatchObject({
        name: 'linhai-hydro',
        lastObservedAt: '2026-07-28T05:00:00.000Z',
        lastSuccessAt: '2026-07-28T05:00:00.000Z',
        consecutiveFailures: 0,
      });
    } finally {
      await second.close();
    }
  });
});

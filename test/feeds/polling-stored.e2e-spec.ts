import { FeedPollService } from '@fangxun/feeds';
import type { TestApp } from '../support/app';
import { truncateAll } from '../support/app';
import { seedTree, TREE } from '../support/fixtures';
import { bootFeeds, FakeClock, feed, FeedServer } from './polling.support';

interface StoredRow {
  code: string;
  observedAt: Date;
  value: number;
  intervalMinutes: number;
  source: string;
}

describe('a polled feed through the real ingest: what is stored', () => {
  const server = new FeedServer();
  const clock = new FakeClock(new Date('2026-07-28T02:00:00Z'));
  let value = '0.5';
  let t: TestApp;
  let polls: FeedPollService;

  beforeAll(async () => {
    await server.start();
    // Readings every 10 minutes in [from, to], UTC with zone; 99999 is a gauge we do not have.
    server.setDefault('/rain', (q) => {
      const from = Date.parse(q.get('from') ?? '');
      const to = Date.parse(q.get('to') ?? '');
      const items = [];
      for (let at = Math.ceil(from / 600_000) * 600_000; at <= to; at += 600_000) {
        items.push({ id: '70101', at: new Date(at).toISOString(), mm: value }, { id: '99999', at: new Date(at).toISOString(), mm: '1' });
      }
      return { body: items };
    });
    t = await bootFeeds(
      [
        feed({
          name: 'linhai-hydro',
          adapter: 'generic-json',
          url: server.url('/rain'),
          stationPrefix: 'LH',
          mapping: {
            itemsPath: '',
            stationField: 'id',
            timeField: 'at',
            valueField: 'mm',
            unit: 'mm',
            intervalMinutes: 10,
            missingValues: [],
            fromParam: 'from',
            toParam: 'to',
            backfillChunkMinutes: 30,
            backfillMaxMinutes: 24 * 60,
          },
        }),
      ],
      clock,
    );
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await t.ds.query(
      `insert into stations (code, name, geom, division_id, kind, owner)
       select 'LH70101', '古城雨量站', st_setsrid(st_point(121.12, 28.85), 4326), id, 'rain', 'water_resources'
       from divisions where code = $1`,
      [TREE.townA],
    );
    polls = t.app.get(FeedPollService);
  });

  afterAll(async () => {
    await t?.close();
    await server.stop();
  });

  const stored = (): Promise<StoredRow[]> =>
    t.ds.query(
      `select s.code, r.observed_at as "observedAt", r.value, r.interval_minutes as "intervalMinutes", r.source
       from readings r join stations s on s.id = r.station_id order by r.observed_at`,
    );

  it('stores the known gauge as poll:<name> and reports the unknown one; the cursor instant is asked again, so a correction lands; a repeat changes nothing', async () => {
    // No cursor yet: one chunk (30 min) back from 02:00 → 01:30 … 02:00, two gauges.
    const first = await polls.poll('linhai-hydro', 'schedule');
    expect(first).toMatchObject({ status: 'ok', requests: 1, handed: 8, observedUpTo: '2026-07-28T02:00:00.000Z' });
    expect(first.report).toMatchObject({ accepted: 4, inserted: 4, rejected: 4 });
    expect(first.report.errors[0]).toMatchObject({ index: 1, field: 'stationCode' });
    const rows = await stored();
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      code: 'LH70101',
      observedAt: new Date('2026-07-28T01:30:00Z'),
      value: 0.5,
      intervalMinutes: 10,
      source: 'poll:linhai-hydro',
    });

    // Ten minutes later the feed has revised 02:00 to 0.8 mm and added 02:10.
    clock.set('2026-07-28T02:10:00Z');
    value = '0.8';
    const second = await polls.poll('linhai-hydro', 'schedule');
    expect(second).toMatchObject({ status: 'ok', requests: 1, observedUpTo: '2026-07-28T02:10:00.000Z' });
    expect(second.report).toMatchObject({ accepted: 2, inserted: 1, corrected: 1 });
    const after = await stored();
    expect(after.map((r) => [r.observedAt.toISOString().slice(11, 16), r.value])).toEqual([
      ['01:30', 0.5],
      ['01:40', 0.5],
      ['01:50', 0.5],
      ['02:00', 0.8],
      ['02:10', 0.8],
    ]);

    const third = await polls.poll('linhai-hydro', 'schedule');
    expect(third.report).toMatchObject({ accepted: 1, inserted: 0, corrected: 0, unchanged: 1 });
    expect(await stored()).toHaveLength(5);
    const cursor: Array<{ at: Date }> = await t.ds.query(`select last_observed_at as at from feed_cursors where name = 'linhai-hydro'`);
    expect(cursor[0].at).toEqual(new Date('2026-07-28T02:10:00Z'));
  });
});

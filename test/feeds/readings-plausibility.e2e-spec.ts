import request from 'supertest';
import { ThresholdTrigger } from '@fangxun/feeds';
import { TestApp } from '../support/app';
import { bootWithFixtures } from '../support/fixtures';
import { createGauges, feedsKey } from './gauges.fixtures';

const MIN = 60_000;
// One "now" for the file, on a 10-minute boundary, so rows line up with each other.
const NOW = Math.floor(Date.now() / (10 * MIN)) * 10 * MIN;
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * MIN).toISOString();

/**
 * Rolling-window limits (config/default.yaml feeds.quality.windowLimits: 150 mm / 10 min,
 * 300 mm / 1 h, 700 mm / 3 h, 1100 mm / 24 h) and overlapping intervals at one gauge.
 */
describe('readings in: impossible windows are flagged, overlapping intervals refused', () => {
  let t: TestApp;
  let duty: string;
  let key: string;
  const push = (readings: unknown[]) => request(t.http).post('/api/v1/readings').set('X-API-Key', key).send({ readings }).expect(200);
  const stored = (code: string) =>
    t.ds.query(
      `select r.observed_at as "observedAt", r.value, r.interval_minutes as "intervalMinutes", r.quality::text as quality,
              r.quality_reason as reason
       from readings r join stations s on s.id = r.station_id where s.code = $1 order by r.observed_at`,
      [code],
    ) as Promise<Array<{ observedAt: Date; value: number; intervalMinutes: number; quality: string; reason: string | null }>>;
  const hourSum = async (code: string, endsMinutesAgo: number) =>
    (
      await request(t.http)
        .get('/api/v1/rainfall/stations')
        .query({ at: at(endsMinutesAgo), windows: '1' })
        .set('Authorization', `Bearer ${duty}`)
        .expect(200)
    ).body.find((s: { code: string }) => s.code === code).windows[0].mm as number;

  beforeAll(async () => {
    const f = await bootWithFixtures();
    t = f.t;
    duty = f.tok.duty;
    await createGauges(t, f.tok.commander);
    key = await feedsKey(t, f.tok.commander);
  });
  afterAll(() => t.close());

  it('six 10-minute rows of 150 mm at one gauge (900 mm in the hour) are all flagged, and no warning is raised', async () => {
    // Each row passes the per-row limit (200 mm / 10 min); the hour they make is three times the world record.
    const rows = [50, 40, 30, 20, 10, 0].map((ago) => ({ stationCode: 'R-A1', observedAt: at(ago), value: 150, intervalMinutes: 10 }));
    const res = await push(rows);
    expect(res.body).toMatchObject({ accepted: 6, inserted: 6, rejected: 0, flagged: 6, reflagged: [] });
    const rowsNow = await stored('R-A1');
    expect(rowsNow).toHaveLength(6);
    for (const r of rowsNow) {
      expect(r).toMatchObject({
        quality: 'suspect',
        reason: 'window: 900 mm within 60 min at this gauge is over the 300 mm limit for that window',
      });
    }
    await t.app.get(ThresholdTrigger).idle();
    const warnings = await request(t.http).get('/api/v1/warnings').set('Authorization', `Bearer ${duty}`).expect(200);
    expect(warnings.body.items).toEqual([]);
    expect(await t.ds.query('select count(*)::int as n from threshold_events')).toEqual([{ n: 0 }]);
  });

  it('a correction that brings the hour back under its limit makes the rows ok again', async () => {
    // 150 → 1 mm for five of the six rows: 155 mm in the hour, plausible (if heavy).
    const res = await push(
      [50, 40, 30, 20, 10].map((ago) => ({ stationCode: 'R-A1', observedAt: at(ago), value: 1, intervalMinutes: 10 })),
    );
    expect(res.body).toMatchObject({ accepted: 5, corrected: 5, flagged: 0 });
    expect((await stored('R-A1')).map((r) => r.quality)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('a day of 50 mm hours at one gauge (1,200 mm, no hour or 3 h over its limit) is flagged by the 24-hour limit', async () => {
    const hours = Array.from({ length: 24 }, (_, k) => ({
      stationCode: 'R-B1',
      observedAt: at(120 + 60 * k),
      value: 50,
      intervalMinutes: 60,
    }));
    const res = await push(hours);
    expect(res.body).toMatchObject({ accepted: 24, flagged: 24 });
    const rows = await stored('R-B1');
    expect(new Set(rows.map((r) => r.reason))).toEqual(
      new Set(['window: 1200 mm within 1440 min at this gauge is over the 1100 mm limit for that window']),
    );
    // two of the hours corrected to 0: 1,100 mm in the day, not over the limit, all ok again
    expect((await push(hours.slice(22).map((h) => ({ ...h, value: 0 })))).body).toMatchObject({ corrected: 2, flagged: 0 });
    expect((await stored('R-B1')).every((r) => r.quality === 'ok')).toBe(true);
  });

  it('a 60-minute row over stored 10-minute rows of the same gauge is refused, not added on top', async () => {
    const tens = [410, 400, 390, 380, 370, 360].map((ago) => ({ stationCode: 'R-A2', observedAt: at(ago), value: 2, intervalMinutes: 10 }));
    expect((await push(tens)).body).toMatchObject({ accepted: 6, rejected: 0 });
    const res = await push([
      { stationCode: 'R-A2', observedAt: at(370), value: 12, intervalMinutes: 60 },
      // ends where the refused hour would begin: (−490, −430] touches (−430, −370], no overlap
      { stationCode: 'R-A2', observedAt: at(430), value: 5, intervalMinutes: 60 },
    ]);
    expect(res.body).toMatchObject({ accepted: 1, inserted: 1, rejected: 1 });
    expect(res.body.errors).toEqual([
      {
        index: 0,
        field: 'intervalMinutes',
        problem: expect.stringMatching(/^its interval .* overlaps the 10-minute reading ending .* already stored for this station/),
      },
    ]);
    expect(await hourSum('R-A2', 360)).toBe(12);
    // Changing a stored 10-minute row into an hour that covers its neighbours is refused the same way.
    const widen = await push([{ stationCode: 'R-A2', observedAt: at(360), value: 12, intervalMinutes: 60 }]);
    expect(widen.body).toMatchObject({ accepted: 0, rejected: 1 });
    expect((await stored('R-A2')).find((r) => new Date(r.observedAt).toISOString() === at(360))).toMatchObject({
      value: 2,
      intervalMinutes: 10,
    });
  });

  it('an hour and its own 10-minute rows in one batch are all refused: which one is right cannot be told', async () => {
    const res = await push([
      { stationCode: 'R-A3', observedAt: at(600), value: 30, intervalMinutes: 60 },
      ...[650, 640, 630].map((ago) => ({ stationCode: 'R-A3', observedAt: at(ago), value: 10, intervalMinutes: 10 })),
      { stationCode: 'R-A3', observedAt: at(540), value: 3, intervalMinutes: 60 },
    ]);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 4 });
    expect(res.body.errors.map((e: { index: number; field: string }) => [e.index, e.field])).toEqual([
      [0, 'intervalMinutes'],
      [1, 'intervalMinutes'],
      [2, 'intervalMinutes'],
      [3, 'intervalMinutes'],
    ]);
    expect(res.body.errors[0].problem).toMatch(/in this batch/);
    expect((await stored('R-A3')).map((r) => r.value)).toEqual([3]);
  });
  it('a reading a few minutes ahead (a gauge clock running fast, allowed) does not put lastObservedAt in the future', async () => {
    const ahead = new Date(Date.now() + 5 * MIN).toISOString();
    expect((await push([{ stationCode: 'R-B1', observedAt: ahead, value: 0.5, intervalMinutes: 10 }])).body).toMatchObject({ accepted: 1 });
    const answeredAt = Date.now();
    const station = await request(t.http).get('/api/v1/stations/R-B1').set('Authorization', `Bearer ${duty}`).expect(200);
    expect(new Date(station.body.lastObservedAt).getTime()).toBeLessThanOrEqual(answeredAt);
    // the reading itself keeps the time the gauge gave
    expect((await stored('R-B1')).map((r) => new Date(r.observedAt).toISOString())).toContain(ahead);
  });
});

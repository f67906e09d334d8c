import * as iconv from 'iconv-lite';
import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures } from '../support/fixtures';
import { bjt, createGauges, feedsKey } from './gauges.fixtures';

describe('readings in: push and CSV back-fill', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let key: string;
  const base = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 12 * 3_600_000);
  const push = (body: unknown, type = 'application/json') =>
    request(t.http).post('/api/v1/readings').set('X-API-Key', key).set('Content-Type', type).send(JSON.stringify(body));
  const count = async (sql: string, params: unknown[] = []) => ((await t.ds.query(sql, params)) as Array<{ n: number }>)[0].n;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    await createGauges(t, tok.commander);
    key = await feedsKey(t, tok.commander);
  });
  afterAll(() => t.close());

  it('keeps the good rows of a mixed batch and names index, field and problem for each bad one', async () => {
    const rows = [
      { stationCode: 'R-A1', observedAt: bjt(base, 0), value: 2.5, intervalMinutes: 60 },
      { stationCode: 'R-A1', observedAt: bjt(base, 60), value: -1 },
      { stationCode: 'R-A1', observedAt: '2026-07-28T10:00:00', value: 1 },
      { stationCode: 'NOPE', observedAt: bjt(base, 0), value: 1 },
      { stationCode: 'R-A1', observedAt: new Date(Date.now() + 3_600_000).toISOString(), value: 1 },
      { stationCode: 'R-A1', observedAt: bjt(base, 120), value: 250, intervalMinutes: 10 },
      { stationCode: 'R-A1', observedAt: bjt(base, 180), value: 320, intervalMinutes: 60 },
      { stationCode: 'R-A2', observedAt: bjt(base, 0), value: 0.1, unit: 'in' },
      { stationCode: 'W-A1', observedAt: bjt(base, 0), value: 352, unit: 'cm' },
      { stationCode: 'R-A2', observedAt: bjt(base, 60), value: 'x' },
      { stationCode: 'R-A2', observedAt: bjt(base, 60), value: 1, unit: 'furlong' },
    ];
    const res = await push({ readings: rows }).expect(200);
    expect(res.body).toMatchObject({ accepted: 3, inserted: 3, corrected: 0, unchanged: 0, rejected: 8, flagged: 0 });
    expect(res.body.errors).toEqual([
      { index: 1, field: 'value', problem: 'rain cannot be negative' },
      { index: 2, field: 'observedAt', problem: 'has no time zone: add an offset (+08:00) or Z' },
      { index: 3, field: 'stationCode', problem: 'unknown station NOPE' },
      { index: 4, field: 'observedAt', problem: 'is more than 10 minutes in the future' },
      { index: 5, field: 'value', problem: '250 mm in 10 min is impossible (limit 200 mm)' },
      { index: 6, field: 'value', problem: '320 mm in 60 min is impossible (limit 300 mm)' },
      { index: 9, field: 'value', problem: 'must be a finite number' },
      { index: 10, field: 'unit', problem: 'rain is measured in mm, cm or in, not furlong' },
    ]);
    const stored = await t.ds.query(
      `select s.code, r.value, r.interval_minutes as "intervalMinutes", r.source from readings r join stations s on s.id = r.station_id order by s.code`,
    );
    expect(stored).toEqual([
      { code: 'R-A1', value: 2.5, intervalMinutes: 60, source: 'push' },
      { code: 'R-A2', value: 2.54, intervalMinutes: 60, source: 'push' },
      { code: 'W-A1', value: 3.52, intervalMinutes: null, source: 'push' },
    ]);
  });

  it('answers a re-sent batch with unchanged, keeps a correction’s old value as a revision, and shows it', async () => {
    const again = await push([{ stationCode: 'R-A1', observedAt: bjt(base, 0), value: 2.5, intervalMinutes: 60 }]).expect(200);
    expect(again.body).toMatchObject({ accepted: 1, inserted: 0, corrected: 0, unchanged: 1 });
    const fix = await push([{ stationCode: 'R-A1', observedAt: new Date(base.getTime()).toISOString(), value: 3.1 }]).expect(200);
    expect(fix.body).toMatchObject({ accepted: 1, inserted: 0, corrected: 1, unchanged: 0 });
    const revisions = await t.ds.query('select value from reading_revisions');
    expect(revisions).toEqual([{ value: 2.5 }]);
    const list = await request(t.http)
      .get('/api/v1/readings')
      .query({ stationCode: 'R-A1', from: bjt(base, -60), to: bjt(base, 60) })
      .set('Authorization', `Bearer ${tok.duty}`)
      .expect(200);
    expect(list.body).toEqual([expect.objectContaining({ value: 3.1, quality: 'ok', revisions: 1, source: 'push' })]);
  });

  it('refuses callers without feeds:write and town admins, and stores nothing for them', async () => {
    const row = [{ stationCode: 'R-A3', observedAt: bjt(base, 0), value: 1 }];
    await request(t.http).post('/api/v1/readings').send(row).expect(401);
    await request(t.http).post('/api/v1/readings').set('Authorization', `Bearer ${tok['admin-a']}`).send(row).expect(403);
    const body = await push({ rows: row }).expect(400);
    expect(body.body.details).toEqual([{ field: 'readings', problem: 'must be an array of readings' }]);
    expect(await count(`select count(*)::int as n from readings r join stations s on s.id = r.station_id where s.code = 'R-A3'`)).toBe(0);
  });

  it('takes 30,000 rows in one request as application/vnd.fangxun.readings+json, in bulk', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => ({
      stationCode: ['R-A1', 'R-A2', 'R-A3', 'R-B1'][i % 4],
      observedAt: new Date(base.getTime() - 400 * 86_400_000 + Math.floor(i / 4) * 300_000).toISOString(),
      value: (i % 7) * 0.1,
      intervalMinutes: 5,
    }));
    const res = await push(rows, 'application/vnd.fangxun.readings+json').expect(200);
    expect(res.body).toMatchObject({ accepted: 30_000, inserted: 30_000, rejected: 0 });
    const [{ n }] = await t.ds.query(`select count(*)::int as n from readings where source = 'push'`);
    expect(n).toBeGreaterThanOrEqual(30_000);
    // The same rows as plain JSON exceed the 2 MiB default limit.
    await push(rows).expect(413);
  });

  it('flags a spike next to dry neighbours as suspect, keeps it, and lets sums leave it out', async () => {
    const at = (m: number) => bjt(base, 300 + m);
    const res = await push([
      { stationCode: 'R-A2', observedAt: at(0), value: 0.5, intervalMinutes: 60 },
      { stationCode: 'R-A3', observedAt: at(0), value: 0, intervalMinutes: 60 },
      { stationCode: 'R-B1', observedAt: at(0), value: 1, intervalMinutes: 60 },
      { stationCode: 'R-A1', observedAt: at(0), value: 45, intervalMinutes: 60 },
    ]).expect(200);
    expect(res.body).toMatchObject({ accepted: 4, flagged: 1 });
    const [row] = await t.ds.query(
      `select quality, quality_reason as reason from readings r join stations s on s.id = r.station_id where s.code = 'R-A1' and r.value = 45`,
    );
    expect(row.quality).toBe('suspect');
    expect(row.reason).toMatch(/^spike: 45 mm in the hour while 3 neighbours within 10 km got under 2 mm/);
    const sums = (exclude: boolean) =>
      request(t.http)
        .get('/api/v1/rainfall/stations')
        .query({ at: at(0), windows: '1,3', excludeSuspect: String(exclude) })
        .set('Authorization', `Bearer ${tok.duty}`)
        .expect(200)
        .then((r) => r.body.find((s: { code: string }) => s.code === 'R-A1').windows);
    expect(await sums(false)).toEqual([
      { hours: 1, mm: 45, readings: 1, suspect: 1 },
      { hours: 3, mm: 45, readings: 1, suspect: 1 },
    ]);
    expect((await sums(true))[0]).toEqual({ hours: 1, mm: 0, readings: 0, suspect: 0 });
  });

  it('re-checks a reading when its neighbours report late: flagged once they show dry, cleared when one shows rain', async () => {
    const at = bjt(base, 480);
    const quality = async () =>
      (await t.ds.query(`select quality from readings r join stations s on s.id = r.station_id where s.code = 'R-A3' and r.value = 60`))[0]
        .quality;
    expect((await push([{ stationCode: 'R-A3', observedAt: at, value: 60, intervalMinutes: 60 }]).expect(200)).body.flagged).toBe(0);
    expect(await quality()).toBe('ok');
    // The neighbours' hourly reports come in a little later (observed at the same time and 20 min on).
    const dry = await push([
      { stationCode: 'R-A1', observedAt: at, value: 0, intervalMinutes: 60 },
      { stationCode: 'R-A2', observedAt: at, value: 0.5, intervalMinutes: 60 },
      { stationCode: 'R-B1', observedAt: at, value: 1, intervalMinutes: 60 },
    ]).expect(200);
    expect(dry.body.flagged).toBe(0);
    expect(await quality()).toBe('suspect');
    await push([{ stationCode: 'R-A2', observedAt: at, value: 42, intervalMinutes: 60 }]).expect(200);
    expect(await quality()).toBe('ok');
  });

  it('flags an hour 10–25.4× the neighbours as a likely unit mistake', async () => {
    const at = bjt(base, 420);
    const res = await push([
      { stationCode: 'R-A2', observedAt: at, value: 10, intervalMinutes: 60 },
      { stationCode: 'R-A3', observedAt: at, value: 12, intervalMinutes: 60 },
      { stationCode: 'R-B1', observedAt: at, value: 11, intervalMinutes: 60 },
      { stationCode: 'R-A1', observedAt: at, value: 279, intervalMinutes: 60 },
    ]).expect(200);
    expect(res.body).toMatchObject({ accepted: 4, flagged: 1 });
    const [row] = await t.ds.query(`select quality_reason as reason from readings where value = 279`);
    expect(row.reason).toMatch(/^possible unit mistake: hour total 25\.4× the neighbours' median \(11 mm\)/);
  });

  it('back-fills a GBK CSV, reporting bad rows with their line', async () => {
    const csv = [
      '站码,观测时间,雨量,单位,时段',
      `R-B1,${bjt(base, 600)},3.5,mm,60`,
      `R-B1,2026-07-28 10:00,1,mm,60`,
      `R-B1,${bjt(base, 660)},0.2,cm,60`,
    ].join('\r\n');
    const res = await request(t.http)
      .post('/api/v1/readings/import')
      .set('Authorization', `Bearer ${tok.duty}`)
      .attach('file', iconv.encode(csv, 'gbk'), 'backfill.csv')
      .expect(200);
    expect(res.body).toMatchObject({ accepted: 2, inserted: 2, rejected: 1 });
    expect(res.body.errors).toEqual([{ index: 1, line: 3, field: 'observedAt', problem: 'has no time zone: add an offset (+08:00) or Z' }]);
    const stored = await t.ds.query(
      `select value, source from readings r join stations s on s.id = r.station_id where s.code = 'R-B1' and r.observed_at > $1 order by observed_at`,
      [new Date(base.getTime() + 590 * 60_000)],
    );
    expect(stored).toEqual([
      { value: 3.5, source: 'csv' },
      { value: 2, source: 'csv' },
    ]);
    const noHeader = await request(t.http)
      .post('/api/v1/readings/import')
      .set('Authorization', `Bearer ${tok.duty}`)
      .attach('file', Buffer.from('a,b\n1,2\n'), 'x.csv')
      .expect(400);
    expect(noHeader.body.details[0].field).toBe('file');
  });
});

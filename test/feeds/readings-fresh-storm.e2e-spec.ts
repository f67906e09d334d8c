import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { bjt, createGauges, feedsKey } from './gauges.fixtures';

/**
 * A fresh install in a rainstorm: the readings table was truncated and analysed while empty,
 * so the planner believes it holds nothing, and the first push is a 10,000-row storm over a
 * dense gauge network (two ingest chunks). The neighbour checks used to plan a nested loop
 * over that "empty" table and ran past the statement timeout (HTTP 500); they must take the
 * batch and still catch a lone spike next to dry gauges.
 */
describe('readings in: a storm pushed into a freshly truncated and analysed readings table', () => {
  let t: TestApp;
  let key: string;
  const base = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 12 * 3_600_000);
  const COLS = 10;
  const ROWS = 8;
  const STEPS = 120; // 10 h every 5 min

  beforeAll(async () => {
    const f = await bootWithFixtures();
    t = f.t;
    await createGauges(t, f.tok.commander);
    key = await feedsKey(t, f.tok.commander);
    // 80 rain gauges 3 km apart, 15 km and more from the R-A*/R-B1 cluster of the fixtures.
    await t.ds.query(
      `insert into stations (code, name, geom, division_id, kind, owner)
       select format('S-%s-%s', i, j), format('暴雨网格%s-%s雨量站', i, j),
              st_setsrid(st_makepoint(121.25 + i * 0.03, 28.95 + j * 0.03), 4326), d.id, 'rain', 'meteorology'
       from generate_series(0, $1 - 1) i, generate_series(0, $2 - 1) j, divisions d where d.code = $3`,
      [COLS, ROWS, TREE.townB],
    );
    await t.ds.query('truncate readings, reading_revisions');
    await t.ds.query('vacuum analyze readings');
    await t.ds.query('vacuum analyze reading_revisions');
  }, 60_000);
  afterAll(() => t.close());

  it('accepts 10,000 rows of heavy rain at 80 gauges and flags only the spike beside dry neighbours', async () => {
    const readings: Array<{ stationCode: string; observedAt: string; value: number; intervalMinutes: number }> = [];
    for (let k = 1; k <= STEPS; k++) {
      for (let i = 0; i < COLS; i++) {
        for (let j = 0; j < ROWS; j++) {
          // 1–4 mm per 5 min (12–48 mm an hour), swelling and fading, smooth across the grid.
          const mm = Math.round((2.5 + 1.5 * Math.sin(k / 15) + 0.05 * (i - j)) * 10) / 10;
          readings.push({ stationCode: `S-${i}-${j}`, observedAt: bjt(base, k * 5), value: mm, intervalMinutes: 5 });
        }
      }
    }
    // Hourly gauges around 古城街道: dry, except one hour of 45 mm at R-A1 alone.
    for (let h = 1; h <= STEPS / 12; h++) {
      for (const code of ['R-A1', 'R-A2', 'R-A3', 'R-B1']) {
        const value = code === 'R-A1' && h === 5 ? 45 : code === 'R-B1' ? 0.5 : 0;
        readings.push({ stationCode: code, observedAt: bjt(base, h * 60), value, intervalMinutes: 60 });
      }
    }
    expect(readings).toHaveLength(9_640);

    const res = await request(t.http)
      .post('/api/v1/readings')
      .set('X-API-Key', key)
      .set('Content-Type', 'application/vnd.fangxun.readings+json')
      .send(JSON.stringify({ readings }))
      .expect(200);
    expect(res.body).toMatchObject({ accepted: 9_640, inserted: 9_640, rejected: 0, flagged: 1 });

    const suspect: Array<{ code: string; value: number; reason: string }> = await t.ds.query(
      `select s.code, r.value, r.quality_reason as reason from readings r join stations s on s.id = r.station_id where r.quality = 'suspect'`,
    );
    expect(suspect).toEqual([{ code: 'R-A1', value: 45, reason: expect.stringMatching(/^spike: 45 mm in the hour while 3 neighbours/) }]);
    const [{ n }] = await t.ds.query(
      `select count(*)::int as n from readings r join stations s on s.id = r.station_id where s.code like 'S-%'`,
    );
    expect(n).toBe(STEPS * COLS * ROWS);
  });

  it('judges a back-fill scattered over a year hour by hour: lone downpours flagged, shared rain not', async () => {
    const day = (d: number) => new Date(base.getTime() - d * 86_400_000);
    const hour = (d: number, code: string, value: number) => ({
      stationCode: code,
      observedAt: bjt(day(d), 0),
      value,
      intervalMinutes: 60,
    });
    const readings = [
      ...[300, 200, 100].flatMap((d) => [hour(d, 'R-A1', 45), hour(d, 'R-A2', 0), hour(d, 'R-A3', 0.5), hour(d, 'R-B1', 0)]),
      ...[hour(50, 'R-A1', 40), hour(50, 'R-A2', 38), hour(50, 'R-A3', 35), hour(50, 'R-B1', 41)],
    ];
    const res = await request(t.http).post('/api/v1/readings').set('X-API-Key', key).send({ readings }).expect(200);
    expect(res.body).toMatchObject({ accepted: 16, inserted: 16, flagged: 3 });
    const suspect = await t.ds.query(
      `select r.observed_at as at from readings r join stations s on s.id = r.station_id
       where s.code = 'R-A1' and r.quality = 'suspect' and r.observed_at < $1 order by 1`,
      [day(10)],
    );
    expect(suspect.map((r: { at: Date }) => new Date(r.at).toISOString())).toEqual([300, 200, 100].map((d) => day(d).toISOString()));
  });
});

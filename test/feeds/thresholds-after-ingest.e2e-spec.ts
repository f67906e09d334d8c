import request from 'supertest';
import { ThresholdTrigger } from '@fangxun/feeds';
import { TestApp } from '../support/app';
import { bootWithFixtures } from '../support/fixtures';
import { createGauges, feedsKey } from './gauges.fixtures';

const HOUR = 3_600_000;
// One "now" for the file, so a later push for the same hour is a correction, not a new row.
const NOW = Math.floor(Date.now() / 60_000) * 60_000;

/**
 * The API process has no threshold tick (only the worker runs it): a warning that appears
 * here after a push was raised by the evaluation the push itself triggered.
 */
describe('thresholds judged right after an ingest, not at the next tick', () => {
  let t: TestApp;
  let duty: string;
  let key: string;
  const push = (readings: unknown[]) => request(t.http).post('/api/v1/readings').set('X-API-Key', key).send({ readings }).expect(200);
  const rainstorms = async () =>
    (await request(t.http).get('/api/v1/warnings').query({ kind: 'rainstorm' }).set('Authorization', `Bearer ${duty}`).expect(200)).body
      .items as Array<{ level: string; origin: string; headline: string; state: string }>;
  const hourly = (code: string, endsAgoHours: number[], mm: number) =>
    endsAgoHours.map((ago) => ({
      stationCode: code,
      observedAt: new Date(NOW - ago * HOUR).toISOString(),
      value: mm,
      intervalMinutes: 60,
    }));

  beforeAll(async () => {
    const f = await bootWithFixtures();
    t = f.t;
    duty = f.tok.duty;
    await createGauges(t, f.tok.commander);
    key = await feedsKey(t, f.tok.commander);
  });
  afterAll(() => t.close());

  it('a back-fill of last week’s downpour raises nothing (no sum at now can change)', async () => {
    await push(hourly('R-B1', [74, 73, 72], 45));
    await t.app.get(ThresholdTrigger).idle();
    expect(await rainstorms()).toEqual([]);
  });

  it('three hours of 40 mm at R-A1 raise a red rainstorm warning for 古城街道 right after the push', async () => {
    await push(hourly('R-A1', [2, 1, 0], 40));
    await t.app.get(ThresholdTrigger).idle();
    const items = await rainstorms();
    expect(items).toEqual([expect.objectContaining({ level: 'red', origin: 'threshold', state: 'active' })]);
    expect(items[0].headline).toContain('古城街道暴雨红色预警');
    const events = await t.ds.query(`select subject, level_to as "to" from threshold_events where rule = 'rainstorm'`);
    expect(events).toEqual([{ subject: '331082001', to: 'red' }]);
  });

  it('a later correction that lowers the rain is judged too: the line is held (hysteresis), nothing new is raised', async () => {
    // 40 + 40 + 10 = 90 mm: under the 100 mm line but above 80 % of it, so red is held.
    expect((await push(hourly('R-A1', [0], 10))).body).toMatchObject({ corrected: 1 });
    await t.app.get(ThresholdTrigger).idle();
    expect((await rainstorms()).map((w) => [w.level, w.state])).toEqual([['red', 'active']]);
    const [{ n }] = await t.ds.query(`select count(*)::int as n from threshold_events where rule = 'rainstorm'`);
    expect(n).toBe(1);
  });
});

import request from 'supertest';
import { bjt, feedsKey } from '../feeds/gauges.fixtures';
import { FakeClock } from '../support/fake-clock';
import { TOWNS } from '../wakeup/cn-world';
import { bootResponseWorld, ResponseApp } from './incident.support';

/**
 * The areal-rainfall rule (config: 24 h areal rainfall ≥ 80 mm proposes flood IV): 大田's gauge
 * reports 90 mm over the last six hours, 邵家渡's 30 mm, 古城's 12 mm (each town has its own gauge:
 * Thiessen gives a town without one its nearest gauge's rain); the evaluation proposes IV for 大田
 * alone with the figures as evidence, and evaluating again changes nothing.
 */
const T0 = new Date('2027-06-20T00:01:00Z');

describe('areal rainfall per town proposes a level', () => {
  const clock = new FakeClock(T0);
  let t: ResponseApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });

  beforeAll(async () => {
    ({ t, tok } = await bootResponseWorld(clock));
    const gauges = [
      { code: 'R-DT', name: '大田雨量站', point: [TOWNS.datian.west + 0.05, 28.85], divisionCode: TOWNS.datian.code },
      { code: 'R-SJD', name: '邵家渡雨量站', point: [TOWNS.shaojiadu.west + 0.05, 28.85], divisionCode: TOWNS.shaojiadu.code },
      { code: 'R-GC', name: '古城雨量站', point: [TOWNS.gucheng.west + 0.05, 28.85], divisionCode: TOWNS.gucheng.code },
    ];
    for (const g of gauges)
      await request(t.http)
        .post('/api/v1/stations')
        .set(as('commander'))
        .send({ ...g, kind: 'rain', point: { type: 'Point', coordinates: g.point }, owner: 'water_resources' })
        .expect(201);
    const key = await feedsKey(t, tok.commander);
    const start = new Date(T0.getTime() - 6 * 3_600_000);
    const rows = [1, 2, 3, 4, 5, 6].flatMap((h) => [
      { stationCode: 'R-DT', observedAt: bjt(start, h * 60), value: 15, intervalMinutes: 60 },
      { stationCode: 'R-SJD', observedAt: bjt(start, h * 60), value: 5, intervalMinutes: 60 },
      { stationCode: 'R-GC', observedAt: bjt(start, h * 60), value: 2, intervalMinutes: 60 },
    ]);
    await request(t.http).post('/api/v1/readings').set('X-API-Key', key).send(rows).expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('proposes flood IV for 大田 only, with the areal figures as evidence; a second evaluation changes nothing', async () => {
    expect(await t.areal.tick()).toBe(1);
    const [proposed] = (await request(t.http).get('/api/v1/response/incidents').set(as('commander')).expect(200)).body;
    expect(proposed).toMatchObject({ kind: 'flood', level: 'IV', status: 'proposed', townCodes: [TOWNS.datian.code] });
    expect(proposed.proposal).toMatchObject({
      rule: '24小时面雨量超80毫米',
      evidence: { arealRainfall: { hours: 24, mm: { [TOWNS.datian.code]: 90 } } },
    });
    await t.areal.tick();
    const history = (await request(t.http).get(`/api/v1/response/incidents/${proposed.id}/history`).set(as('commander'))).body;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['propose']);
  });
});

import request from 'supertest';
import { StationLivenessService } from '@fangxun/feeds';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { bjt, createGauges, feedsKey } from './gauges.fixtures';

describe('gauges: stations and liveness', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (u: string) => ({ Authorization: `Bearer ${tok[u]}` });
  const station = (code: string, divisionCode: string) => ({
    code,
    name: `站 ${code}`,
    point: { type: 'Point', coordinates: [121.2, 28.9] },
    divisionCode,
    kind: 'rain',
    owner: 'meteorology',
  });

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    await createGauges(t, tok.commander);
  });
  afterAll(() => t.close());

  it('lets a town admin keep the gauges of its own town only, and shows each town its own', async () => {
    const made = await request(t.http).post('/api/v1/stations').set(as('admin-a')).send(station('R-NEW', TREE.villageA)).expect(201);
    expect(made.body).toMatchObject({
      code: 'R-NEW',
      divisionCode: TREE.villageA,
      kind: 'rain',
      active: true,
      liveness: 'ok',
      silentAfterMinutes: null,
    });
    expect(made.body.point).toEqual({ type: 'Point', coordinates: [121.2, 28.9] });
    const other = await request(t.http).post('/api/v1/stations').set(as('admin-b')).send(station('R-NEW2', TREE.townA)).expect(403);
    expect(other.body.details[0].field).toBe('divisionCode');
    const city = await request(t.http).post('/api/v1/stations').set(as('commander')).send(station('R-CITY', TREE.city)).expect(422);
    expect(city.body.details).toEqual([{ field: 'divisionCode', problem: 'must be a town or a village' }]);
    const dup = await request(t.http).post('/api/v1/stations').set(as('commander')).send(station('R-NEW', TREE.townA)).expect(409);
    expect(dup.body.details[0].field).toBe('code');
    const bad = await request(t.http)
      .post('/api/v1/stations')
      .set(as('commander'))
      .send({ ...station('R-X', TREE.townA), point: { type: 'Point', coordinates: [200, 28] }, kind: 'snow' })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['kind']);

    const listB = await request(t.http).get('/api/v1/stations').set(as('admin-b')).expect(200);
    expect(listB.body.map((s: { code: string }) => s.code)).toEqual(['R-B1']);
    expect((await request(t.http).get('/api/v1/stations/R-A1').set(as('admin-b')).expect(403)).body.code).toBe('OUT_OF_SCOPE');
    await request(t.http).patch('/api/v1/stations/R-NEW').set(as('admin-a')).send({ silentAfterMinutes: 30, active: false }).expect(200);
    await request(t.http).delete('/api/v1/stations/R-NEW').set(as('village-a')).expect(204);
    await request(t.http).get('/api/v1/stations/R-NEW').set(as('commander')).expect(404);
    await request(t.http).post('/api/v1/stations').set(as('warden-a')).send(station('R-W', TREE.gridA)).expect(403);
  });

  it('raises one feed-health alert for a station silent past its threshold and closes it when it reports again', async () => {
    const liveness = t.app.get(StationLivenessService);
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3_600_000);
    await t.ds.query(`update stations set created_at = $1`, [start]);
    // R-A2 has its own, longer threshold; W-A1 is switched off and expected to be quiet.
    await request(t.http).patch('/api/v1/stations/R-A2').set(as('commander')).send({ silentAfterMinutes: 600 }).expect(200);
    await request(t.http).patch('/api/v1/stations/W-A1').set(as('commander')).send({ active: false }).expect(200);
    const key = await feedsKey(t, tok.commander);
    await request(t.http)
      .post('/api/v1/readings')
      .set('X-API-Key', key)
      .send([{ stationCode: 'R-A1', observedAt: bjt(start, 30), value: 1 }])
      .expect(200);

    // 60 min (config) after R-A1's reading: still fine; 61 min after: silent, and so are the never-heard ones.
    expect((await liveness.check(new Date(start.getTime() + 89 * 60_000))).silenced).toHaveLength(2);
    const second = await Promise.all([
      liveness.check(new Date(start.getTime() + 91 * 60_000)),
      liveness.check(new Date(start.getTime() + 91 * 60_000)),
    ]);
    expect(second.flatMap((r) => r.silenced)).toHaveLength(1);
    const open = await request(t.http).get('/api/v1/feed-health/alerts').query({ open: 'true' }).set(as('duty')).expect(200);
    expect(open.body.map((a: { stationCode: string }) => a.stationCode).sort()).toEqual(['R-A1', 'R-A3', 'R-B1']);
    const a1 = open.body.find((a: { stationCode: string }) => a.stationCode === 'R-A1');
    expect(a1).toMatchObject({ kind: 'silent', closedAt: null, lastObservedAt: new Date(start.getTime() + 30 * 60_000).toISOString() });
    const townB = await request(t.http).get('/api/v1/feed-health/alerts').query({ open: 'true' }).set(as('admin-b')).expect(200);
    expect(townB.body.map((a: { stationCode: string }) => a.stationCode)).toEqual(['R-B1']);
    const [{ liveness: state }] = await t.ds.query(`select liveness from stations where code = 'R-A1'`);
    expect(state).toBe('silent');

    await request(t.http)
      .post('/api/v1/readings')
      .set('X-API-Key', key)
      .send([{ stationCode: 'R-A1', observedAt: new Date().toISOString(), value: 0 }])
      .expect(200);
    const after = await request(t.http).get('/api/v1/feed-health/alerts').query({ open: 'true' }).set(as('duty')).expect(200);
    expect(after.body.map((a: { stationCode: string }) => a.stationCode).sort()).toEqual(['R-A3', 'R-B1']);
    const closed = await request(t.http).get('/api/v1/feed-health/alerts').query({ open: 'false' }).set(as('duty')).expect(200);
    expect(closed.body).toEqual([expect.objectContaining({ stationCode: 'R-A1', closedAt: expect.any(String) })]);
    // A back-fill of old readings does not wake a silent station.
    await request(t.http)
      .post('/api/v1/readings')
      .set('X-API-Key', key)
      .send([{ stationCode: 'R-B1', observedAt: bjt(start, 10), value: 0 }])
      .expect(200);
    const stillSilent = await t.ds.query(`select liveness from stations where code = 'R-B1'`);
    expect(stillSilent).toEqual([{ liveness: 'silent' }]);
    const kind = await request(t.http).patch('/api/v1/stations/R-B1').set(as('commander')).send({ kind: 'water_level' }).expect(409);
    expect(kind.body.details[0].field).toBe('kind');
    await request(t.http).delete('/api/v1/stations/R-B1').set(as('commander')).expect(409);
  });
});

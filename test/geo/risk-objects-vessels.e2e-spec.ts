import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { attributes } from './risk-objects.fixtures';

describe('fishing boats report positions: history kept, the boat only moves forward in time', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const api = '/api/v1/risk-objects';
  const report = (code: string, body: object, user = 'admin-a') =>
    request(t.http).post(`${api}/${code}/positions`).set(as(user)).send(body);
  const boat = async (code: string) => (await request(t.http).get(`${api}/${code}`).set(as('commander')).expect(200)).body;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    for (const code of ['FB-1', 'FB-2']) {
      await request(t.http)
        .post(api)
        .set(as('commander'))
        .send({
          code,
          name: code,
          type: 'fishing_boat',
          divisionCode: TREE.townA,
          geometry: { type: 'Point', coordinates: [121.5, 28.7] },
          attributes: attributes.fishing_boat,
          threatenedPeople: 6,
        })
        .expect(201);
    }
    await request(t.http)
      .post(api)
      .set(as('commander'))
      .send({
        code: 'WF-1',
        name: '危房',
        type: 'dilapidated_house',
        divisionCode: TREE.villageA,
        geometry: { type: 'Point', coordinates: [121.1, 28.85] },
        attributes: attributes.dilapidated_house,
      })
      .expect(201);
  });
  afterAll(() => t.close());

  it('a newer report moves the boat and its in-port flag; a late one is kept in history only; a repeat is stored once', async () => {
    const first = await report('FB-1', { reportedAt: '2025-07-28T10:00:00+08:00', lon: 121.61, lat: 28.69, inPort: true }).expect(200);
    expect(first.body).toEqual({
      stored: true,
      current: true,
      latest: { reportedAt: '2025-07-28T02:00:00.000Z', lon: 121.61, lat: 28.69, inPort: true, receivedAt: expect.any(String) },
    });
    const late = await report('FB-1', { reportedAt: '2025-07-28T09:00:00+08:00', lon: 121.9, lat: 28.5, inPort: false }).expect(200);
    expect(late.body).toMatchObject({ stored: true, current: false, latest: { reportedAt: '2025-07-28T02:00:00.000Z', lon: 121.61 } });
    const repeat = await report('FB-1', { reportedAt: '2025-07-28T02:00:00Z', lon: 121.61, lat: 28.69, inPort: true }).expect(200);
    expect(repeat.body).toMatchObject({ stored: false, current: true });
    expect(await boat('FB-1')).toMatchObject({
      geometry: { type: 'Point', coordinates: [121.61, 28.69] },
      positionReportedAt: '2025-07-28T02:00:00.000Z',
      attributes: { ...attributes.fishing_boat, inPort: true },
    });
    const history = await request(t.http).get(`${api}/FB-1/positions`).set(as('auditor')).expect(200);
    expect(history.body.map((p: { reportedAt: string; inPort: boolean }) => [p.reportedAt, p.inPort])).toEqual([
      ['2025-07-28T02:00:00.000Z', true],
      ['2025-07-28T01:00:00.000Z', false],
    ]);
  });

  it('twenty reports racing in shuffled order leave the boat at the newest one', async () => {
    const times = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = [...times].sort((a, b) => ((a * 7919) % 20) - ((b * 7919) % 20) || a - b).reverse();
    const results = await Promise.all(
      shuffled.map((i) =>
        report('FB-2', {
          reportedAt: new Date(Date.UTC(2025, 6, 28, 0, i)).toISOString(),
          lon: 121.5 + i / 1000,
          lat: 28.7,
          inPort: false,
        }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await boat('FB-2')).toMatchObject({
      geometry: { type: 'Point', coordinates: [121.519, 28.7] },
      positionReportedAt: new Date(Date.UTC(2025, 6, 28, 0, 19)).toISOString(),
    });
    const [{ n }] = await t.ds.query(
      `select count(*)::int as n from vessel_positions v join risk_objects r on r.id = v.risk_object_id where r.code = 'FB-2'`,
    );
    expect(n).toBe(20);
  });

  it('refuses reports from the future, off the globe, for things that are not boats, and from outside the area', async () => {
    const future = await report('FB-1', {
      reportedAt: new Date(Date.now() + 3600_000).toISOString(),
      lon: 121.6,
      lat: 28.7,
      inPort: false,
    }).expect(400);
    expect(future.body.details).toEqual([{ field: 'reportedAt', problem: 'is in the future' }]);
    const off = await report('FB-1', { reportedAt: '2025-07-28T11:00:00+08:00', lon: 221.6, lat: 28.7, inPort: false }).expect(400);
    expect(off.body.details.map((d: { field: string }) => d.field)).toEqual(['lon']);
    const house = await report('WF-1', { reportedAt: '2025-07-28T11:00:00+08:00', lon: 121.6, lat: 28.7, inPort: false }).expect(422);
    expect(house.body).toMatchObject({ code: 'GEO_RULE_VIOLATED', details: [{ field: 'code', problem: 'not a fishing boat' }] });
    await report('FB-1', { reportedAt: '2025-07-28T11:00:00+08:00', lon: 121.6, lat: 28.7, inPort: false }, 'admin-b').expect(403);
    await report('FB-1', { reportedAt: '2025-07-28T11:00:00+08:00', lon: 121.6, lat: 28.7, inPort: false }, 'warden-a').expect(403);
    await report('NOPE', { reportedAt: '2025-07-28T11:00:00+08:00', lon: 121.6, lat: 28.7, inPort: false }).expect(404);
    expect((await boat('FB-1')).positionReportedAt).toBe('2025-07-28T02:00:00.000Z');
  });
});

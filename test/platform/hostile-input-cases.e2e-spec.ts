import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

/**
 * The inputs issue 16 reproduced as 500s (or wrong answers), each now a short 4xx naming the
 * parameter or field. The fuzz test keeps the classes closed; these pin the reported cases.
 */
describe('hostile input that used to reach a 500', () => {
  let t: TestApp;
  let as: (user: string) => { Authorization: string };
  const problemAt = (res: request.Response, field: string) => {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  };

  beforeAll(async () => {
    ({ t, as } = await bootWithFixtures());
    const station = (code: string, divisionCode: string) => ({
      code,
      name: code,
      point: { type: 'Point', coordinates: [121.1, 28.85] },
      divisionCode,
      kind: 'rain',
      owner: 'meteorology',
    });
    await request(t.http).post('/api/v1/stations').set(as('commander')).send(station('R-A1', TREE.townA)).expect(201);
    await request(t.http).post('/api/v1/stations').set(as('commander')).send(station('R-B1', TREE.townB)).expect(201);
  });
  afterAll(() => t.close());

  it('refuses NUL, malformed escapes and over-long values in path parameters and query strings, naming them', async () => {
    for (const path of ['/api/v1/divisions/a%00b', '/api/v1/stations/%00', '/api/v1/risk-objects/x%00', '/api/v1/shelters/a%00']) {
      const res = await request(t.http).get(path).set(as('commander'));
      expect(res.status).toBe(400);
      problemAt(res, 'code');
    }
    problemAt(await request(t.http).get('/api/v1/holders?q=a%00b').set(as('commander')), 'q');
    problemAt(await request(t.http).get('/api/v1/users?q=%ED%A0%80').set(as('commander')), 'q');
    problemAt(
      await request(t.http)
        .get(`/api/v1/divisions?q=${'x'.repeat(600)}`)
        .set(as('commander')),
      'q',
    );
    problemAt(await request(t.http).get('/api/v1/sms/messages?refId=%00').set(as('commander')), 'refId');
    problemAt(await request(t.http).get('/api/v1/duty-rosters/not-a-uuid').set(as('commander')), 'id');
  });

  it('refuses circle: [] and an area that is an array, naming the field', async () => {
    problemAt(await request(t.http).post('/api/v1/spatial/intersecting').set(as('commander')).send({ circle: [] }), 'circle');
    problemAt(await request(t.http).post('/api/v1/spatial/who-must-answer').set(as('commander')).send({ circle: [] }), 'circle');
    const campaign = { title: '测试', message: '请回复收到', level: 'red' };
    problemAt(
      await request(t.http)
        .post('/api/v1/wakeup/campaigns')
        .set(as('commander'))
        .send({ ...campaign, area: [] }),
      'area',
    );
    problemAt(
      await request(t.http)
        .post('/api/v1/wakeup/campaigns')
        .set(as('commander'))
        .send({ ...campaign, area: { circle: [] } }),
      'area.circle',
    );
  });

  it('refuses stations without a point or with point: []', async () => {
    const body = { code: 'R-X', name: 'x', divisionCode: TREE.townA, kind: 'rain', owner: 'meteorology' };
    problemAt(await request(t.http).post('/api/v1/stations').set(as('commander')).send(body), 'point');
    problemAt(
      await request(t.http)
        .post('/api/v1/stations')
        .set(as('commander'))
        .send({ ...body, point: [] }),
      'point',
    );
    problemAt(await request(t.http).patch('/api/v1/stations/R-A1').set(as('commander')).send({ point: [] }), 'point');
  });

  it('refuses null for users fields that cannot be cleared', async () => {
    const [{ id }] = await t.ds.query(`select id from users where username = 'warden-a'`);
    for (const field of ['displayName', 'role', 'active', 'password']) {
      const res = await request(t.http)
        .patch(`/api/v1/users/${id}`)
        .set(as('commander'))
        .send({ [field]: null });
      expect(res.status).toBe(400);
      problemAt(res, field);
    }
  });

  it('checks division boundaries with the shared GeoJSON checker: blank name, 3-D, typo, empty', async () => {
    const code = TREE.villageA;
    problemAt(await request(t.http).patch(`/api/v1/divisions/${code}`).set(as('commander')).send({ name: '   ' }), 'name');
    problemAt(
      await request(t.http)
        .patch(`/api/v1/divisions/${code}`)
        .set(as('commander'))
        .send({ boundary: { type: 'Polygonn', coordinates: [] } }),
      'boundary',
    );
    const empty = await request(t.http)
      .patch(`/api/v1/divisions/${code}`)
      .set(as('commander'))
      .send({ boundary: { type: 'MultiPolygon', coordinates: [] } });
    problemAt(empty, 'boundary');
    const ring3d = [
      [121.1, 28.8, 5],
      [121.2, 28.8, 5],
      [121.2, 28.9, 5],
      [121.1, 28.8, 5],
    ];
    const flat = await request(t.http)
      .patch(`/api/v1/divisions/${code}`)
      .set(as('commander'))
      .send({ boundary: { type: 'Polygon', coordinates: [ring3d] } })
      .expect(200);
    expect(JSON.stringify(flat.body.boundary)).not.toContain(',5]');
  });

  it('answers 403 OUT_OF_SCOPE for another town’s gauge wherever it is named', async () => {
    const out = async (path: string, field: string) => {
      const res = await request(t.http).get(path).set(as('admin-a'));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('OUT_OF_SCOPE');
      expect(res.body.details[0].field).toBe(field);
    };
    await out('/api/v1/stations/R-B1', 'code');
    await out('/api/v1/readings?stationCode=R-B1&from=2026-07-28T00:00:00%2B08:00&to=2026-07-29T00:00:00%2B08:00', 'stationCode');
    await out('/api/v1/rainfall/stations/R-B1/since?from=2026-07-28T00:00:00%2B08:00', 'code');
  });

  it('refuses numbers class-validator cannot count decimals of (1e-7), and answers the link page’s errors in JSON', async () => {
    const stock = { category: 'boats', item: '冲锋舟', unit: '艘', quantity: 1e-7 };
    problemAt(await request(t.http).put('/api/v1/supply-depots/D-1/stock').set(as('commander')).send(stock), 'quantity');
    const link = await request(t.http).get('/api/v1/wakeup/links/not-a-token');
    expect(link.status).toBeGreaterThanOrEqual(400);
    expect(link.headers['content-type']).toMatch(/^application\/json/);
    expect(link.body.code).toEqual(expect.any(String));
  });
});

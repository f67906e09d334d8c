import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { createGauges } from './gauges.fixtures';
import { cnAlertXml, GUCHENG_POLYGON, postXml } from './warnings.fixtures';

/** Other systems (a county platform, a screen) read warnings and rain with a feeds:read key. */
describe('API key scope feeds:read: warnings, readings and rain for other systems, and the original CAP XML', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let reader: string;
  let writer: string;
  let xmlId: string;
  let posted: Record<string, unknown>;
  let jsonId: string;
  const xml = cnAlertXml({ identifier: '331082000QXT00_20270620080000_9', polygon: GUCHENG_POLYGON, geocodes: [TREE.townA] });
  const key = async (scopes: string[]) =>
    (
      await request(t.http)
        .post('/api/v1/api-keys')
        .set('Authorization', `Bearer ${tok.commander}`)
        .send({ name: `key ${scopes.join(' ')}`, scopes })
        .expect(201)
    ).body.key as string;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    await createGauges(t, tok.commander);
    reader = await key(['feeds:read']);
    writer = await key(['feeds:write']);
    posted = (await postXml(t, { 'X-API-Key': writer }, xml).expect(201)).body;
    xmlId = posted.id as string;
    const json = {
      identifier: 'json-read-1',
      sender: 'linhai-sl@zjwater.gov.cn',
      sent: '2027-07-01T06:00:00+08:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      info: [
        {
          language: 'zh-CN',
          category: ['Met'],
          event: '山洪灾害气象预警',
          urgency: 'Immediate',
          severity: 'Extreme',
          certainty: 'Likely',
          expires: '2027-07-01T18:00:00+08:00',
          area: [{ areaDesc: '岭根村', geocode: [{ valueName: 'ADCODE', value: TREE.villageB }] }],
        },
      ],
    };
    jsonId = (await request(t.http).post('/api/v1/warnings').set('X-API-Key', writer).send(json).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('lets a feeds:read key list and read warnings, their CAP export, readings and station sums', async () => {
    const list = await request(t.http).get('/api/v1/warnings').set('X-API-Key', reader).expect(200);
    expect(list.body.items.map((w: { id: string }) => w.id).sort()).toEqual([xmlId, jsonId].sort());
    const one = await request(t.http).get(`/api/v1/warnings/${xmlId}`).set('X-API-Key', reader).expect(200);
    // The ingest answers from what it wrote (no read-back): the same as reading the warning.
    expect(posted).toEqual(one.body);
    expect(one.body.areas).toEqual([
      expect.objectContaining({ divisionCodes: [TREE.townA], geometry: expect.objectContaining({ type: 'MultiPolygon' }) }),
    ]);
    await request(t.http).get(`/api/v1/warnings/${xmlId}/cap`).set('X-API-Key', reader).expect(200);
    const readings = await request(t.http)
      .get('/api/v1/readings')
      .query({ stationCode: 'R-A1', from: '2027-06-20T00:00:00Z', to: '2027-06-21T00:00:00Z' })
      .set('X-API-Key', reader)
      .expect(200);
    expect(readings.body).toEqual([]);
    const sums = await request(t.http).get('/api/v1/rainfall/stations').set('X-API-Key', reader).expect(200);
    expect(sums.body.map((s: { code: string }) => s.code)).toContain('R-A1');
  });

  it('refuses the feeds:write key for reading and the feeds:read key for writing', async () => {
    const denied = await request(t.http).get('/api/v1/warnings').set('X-API-Key', writer).expect(403);
    expect(denied.body.message).toBe('API key lacks scope feeds:read');
    await request(t.http).get(`/api/v1/warnings/${xmlId}/original`).set('X-API-Key', writer).expect(403);
    await postXml(t, { 'X-API-Key': reader }, xml).expect(403);
    await request(t.http)
      .post('/api/v1/readings')
      .set('X-API-Key', reader)
      .send([{ stationCode: 'R-A1', observedAt: new Date().toISOString(), value: 1 }])
      .expect(403);
  });

  it('serves the original CAP XML of a received warning, byte for byte, and 404 for one that came as JSON', async () => {
    const res = await request(t.http).get(`/api/v1/warnings/${xmlId}/original`).set('X-API-Key', reader).expect(200);
    expect(res.headers['content-type']).toBe('application/cap+xml; charset=utf-8');
    expect(res.text).toBe(xml);
    const forPerson = await request(t.http)
      .get(`/api/v1/warnings/${xmlId}/original`)
      .set('Authorization', `Bearer ${tok.duty}`)
      .expect(200);
    expect(forPerson.text).toBe(xml);
    const none = await request(t.http).get(`/api/v1/warnings/${jsonId}/original`).set('X-API-Key', reader).expect(404);
    expect(none.body.details).toEqual([{ field: 'id', problem: expect.stringContaining('came as JSON') }]);
  });
});

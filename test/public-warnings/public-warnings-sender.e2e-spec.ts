import request from 'supertest';
import { utf8Csv } from '../fixtures/import/files';
import { bootSms, SmsApp, smsTestConfig, Standins, startStandins, stopStandins, TOKENS } from '../notify/sms.support';
import type { TestApp } from '../support/app';
import { truncateAll } from '../support/app';
import { loginAll, seedTree, seedUsers, TREE } from '../support/fixtures';

/**
 * A public warning end to end: contact list imported, campaign queued, the real sender drains it
 * through the Aliyun stand-in, the stand-in pushes delivery reports, the campaign's counts follow.
 * Also the contact import's limits (small ones from config here).
 */
describe('public warning SMS through the sender and a provider stand-in', () => {
  let s: Standins;
  let a: SmsApp;
  let auth: (user: string) => { Authorization: string };
  let http: TestApp['http'];
  const PARAMS = { issuer: '临海市水利局', kind: '山洪', level: '橙色', summary: '岭根村山洪危险区请立即转移' };

  beforeAll(async () => {
    s = await startStandins();
    const config = smsTestConfig(s);
    config.publicWarnings = { ...config.publicWarnings, importMaxRows: 3, importMaxBytes: 4096 };
    a = await bootSms(config);
    http = a.app.getHttpServer();
    await truncateAll(a.ds);
    await seedTree(a.ds);
    await seedUsers(a.ds);
    const tok = await loginAll({ app: a.app, ds: a.ds, http, close: a.close });
    auth = (user) => ({ Authorization: `Bearer ${tok[user]}` });
    await a.ds.query(
      `insert into risk_objects (code, name, type, division_id, geom)
       select 'PW-S1', '岭根村山洪危险区', 'flash_flood_zone', id, st_setsrid(st_makepoint(121.2, 28.9), 4326) from divisions where code = $1`,
      [TREE.villageB],
    );
  });
  afterAll(async () => {
    await a?.close();
    await stopStandins(s);
  });

  const upload = (file: Buffer) =>
    request(http).post('/api/v1/risk-objects/PW-S1/contacts/import').set(auth('admin-b')).attach('file', file, 'c.csv');

  it('refuses more rows than publicWarnings.importMaxRows and files over importMaxBytes (413), storing nothing', async () => {
    const four = utf8Csv([['姓名', '手机'], ...[1, 2, 3, 4].map((i) => [`人${i}`, `1390000500${i}`])]);
    expect((await upload(four).expect(413)).body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: [expect.objectContaining({ field: 'file' })],
    });
    const big = utf8Csv([
      ['姓名', '手机', '备注'],
      ['人', '13900005001', 'x'.repeat(6000)],
    ]);
    expect((await upload(big).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await a.ds.query('select 1 from public_contacts')).toHaveLength(0);
  });

  it('queued messages are sent through Aliyun with the public_warning template, and delivery reports reach the counts', async () => {
    const list = utf8Csv([['姓名', '手机'], ...[1, 2, 3].map((i) => [`人${i}`, `1390000500${i}`])]);
    await upload(list).expect(200);
    const res = await request(http)
      .post('/api/v1/public-warnings')
      .set(auth('admin-b'))
      .send({ riskObjectCodes: ['PW-S1'], ...PARAMS, requestKey: 'flash-1' })
      .expect(201);
    expect(res.body.delivery).toMatchObject({ queued: 3 });
    for (let i = 0; i < 10 && (await a.sender.runOnce()).claimed > 0; i++);
    expect(s.aliyun.sends.map((x) => x.to).sort()).toEqual(['+8613900005001', '+8613900005002', '+8613900005003']);
    expect(s.aliyun.sends.every((x) => x.template === 'SMS_P0001')).toBe(true);
    expect(s.aliyun.sends[0].params).toEqual(PARAMS);
    const sent = await request(http).get(`/api/v1/public-warnings/${res.body.id}`).set(auth('duty')).expect(200);
    expect(sent.body.delivery).toEqual({ queued: 0, sending: 0, sent: 3, delivered: 0, undelivered: 0, failed: 0, capped: 0 });
    const push = await s.aliyun.pushReports(`${a.base}/sms/callbacks/aliyun/receipts?token=${TOKENS.aliyun}`);
    expect(push.status).toBe(200);
    const delivered = await request(http).get(`/api/v1/public-warnings/${res.body.id}`).set(auth('duty')).expect(200);
    expect(delivered.body.delivery).toMatchObject({ sent: 0, delivered: 3 });
  });
});

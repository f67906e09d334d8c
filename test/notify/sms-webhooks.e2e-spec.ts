import request from 'supertest';
import { truncateAll } from '../support/app';
import { PASSWORD, seedTree, seedUsers } from '../support/fixtures';
import { StandinBase } from '../support/sms-standins';
import {
  bootSms,
  enqueue,
  events,
  resetSms,
  SmsApp,
  smsTestConfig,
  Standins,
  startStandins,
  statusOf,
  stopStandins,
  TOKENS,
} from './sms.support';

const TO = '+8613812345678';

describe('SMS webhooks: receipts and replies, verified; the command room read API', () => {
  let s: Standins;
  let a: SmsApp;
  const url = (provider: string, kind: 'receipts' | 'replies', token?: string) =>
    `${a.base}/sms/callbacks/${provider}/${kind}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

  beforeAll(async () => {
    s = await startStandins();
    a = await bootSms(smsTestConfig(s));
    await truncateAll(a.ds);
    await seedTree(a.ds);
    await seedUsers(a.ds);
  });
  afterAll(async () => {
    await a?.close();
    await stopStandins(s);
  });
  beforeEach(async () => {
    await resetSms(a.ds);
    [s.aliyun, s.tencent, s.generic].forEach((x) => x.reset());
  });

  async function sentVia(provider: 'aliyun' | 'tencent', key: string): Promise<string> {
    if (provider === 'tencent') s.aliyun.mode = 'throttle';
    const r = await enqueue(a, TO, key);
    await a.sender.runOnce();
    s.aliyun.mode = 'ok';
    return r.id!;
  }

  it('Aliyun SmsReport with the right token: delivered, acked {"code":0,"msg":"接收成功"}; a duplicate push changes nothing', async () => {
    const id = await sentVia('aliyun', 'r1');
    const first = await s.aliyun.pushReports(url('aliyun', 'receipts', TOKENS.aliyun));
    expect(first).toEqual({ status: 200, body: { code: 0, msg: '接收成功' } });
    const again = await s.aliyun.pushReports(url('aliyun', 'receipts', TOKENS.aliyun));
    expect(again.status).toBe(200);
    expect(await statusOf(a.ds, id)).toMatchObject({ status: 'delivered' });
    const ev = await events(a.ds, 'sms.status_changed');
    expect(ev.map((e) => e.status)).toEqual(['sent', 'delivered']);
    expect(ev[1]).toEqual({ smsId: id, refType: 'wakeup_call', refId: 'r1', to: TO, status: 'delivered', provider: 'aliyun' });
  });

  it('forged pushes (wrong or missing token, bad HMAC) get 401 and change nothing', async () => {
    const id = await sentVia('aliyun', 'r2');
    const before = await a.ds.query('select count(*)::int as n from outbox_events');
    expect((await s.aliyun.pushReports(url('aliyun', 'receipts', 'guessed-token-0000000000'))).status).toBe(401);
    expect((await s.aliyun.pushReports(url('aliyun', 'receipts'))).status).toBe(401);
    expect((await s.aliyun.pushReply(url('aliyun', 'replies', 'x'), TO, '1')).status).toBe(401);
    expect((await s.tencent.pushReply(url('tencent', 'replies', TOKENS.aliyun), TO, '1')).status).toBe(401);
    expect(
      (
        await s.generic.pushSigned(
          url('generic', 'replies'),
          { replies: [{ id: 'g1', from: TO, text: '1', receivedAt: new Date().toISOString() }] },
          true,
        )
      ).status,
    ).toBe(401);
    expect(await statusOf(a.ds, id)).toMatchObject({ status: 'sent' });
    expect(await a.ds.query('select count(*)::int as n from outbox_events')).toEqual(before);
    expect(await a.ds.query('select count(*)::int as n from sms_replies')).toEqual([{ n: 0 }]);
  });

  it('Tencent status callback (by SerialNo) acks {"result":0,"errmsg":"OK"}; a FAIL report is "undelivered"', async () => {
    const id = await sentVia('tencent', 't1');
    expect(await statusOf(a.ds, id)).toMatchObject({ provider: 'tencent', status: 'sent' });
    const res = await s.tencent.pushStatus(url('tencent', 'receipts', TOKENS.tencent), s.tencent.sends, false);
    expect(res).toEqual({ status: 200, body: { result: 0, errmsg: 'OK' } });
    await s.tencent.pushStatus(url('tencent', 'receipts', TOKENS.tencent));
    expect(await statusOf(a.ds, id)).toMatchObject({ status: 'undelivered', errorCode: 'MK:0001' });
    expect((await events(a.ds, 'sms.status_changed')).map((e) => e.status)).toEqual(['sent', 'undelivered']);
  });

  it('replies become sms.reply events with E.164 numbers, once per provider message (legacy numeric sequence_id too)', async () => {
    await sentVia('aliyun', 'rep');
    const ok = await s.aliyun.pushReply(url('aliyun', 'replies', TOKENS.aliyun), TO, '收到', { sequenceId: 42, legacy: true });
    expect(ok).toEqual({ status: 200, body: { code: 0, msg: '接收成功' } });
    await s.aliyun.pushReply(url('aliyun', 'replies', TOKENS.aliyun), TO, '收到', { sequenceId: 42 }); // same message, string id
    const t = Math.floor(Date.now() / 1000);
    expect((await s.tencent.pushReply(url('tencent', 'replies', TOKENS.tencent), '+8613900001111', '1', t)).body).toEqual({
      result: 0,
      errmsg: 'OK',
    });
    await s.tencent.pushReply(url('tencent', 'replies', TOKENS.tencent), '+8613900001111', '1', t);
    const replies = await events(a.ds, 'sms.reply');
    expect(replies).toEqual([
      expect.objectContaining({ from: TO, text: '收到', provider: 'aliyun', smsId: expect.any(String) }),
      // a number we never wrote to is still published: the wake-up decides what it means
      expect.objectContaining({
        from: '+8613900001111',
        text: '1',
        provider: 'tencent',
        smsId: null,
        receivedAt: new Date(t * 1000).toISOString(),
      }),
    ]);
  });

  it('generic gateway: HMAC-signed receipts are applied; malformed bodies are 400 after verification', async () => {
    const { id } = await enqueue(a, TO, 'g1');
    // the generic gateway is not in this chain: a message it accepted, by hand
    const pmid = 'g-abc';
    await a.ds.query(`update sms_messages set provider = 'generic', provider_message_id = $2, status = 'sent' where id = $1`, [id, pmid]);
    const res = await s.generic.pushSigned(url('generic', 'receipts'), { receipts: [{ messageId: pmid, to: TO, status: 'delivered' }] });
    expect(res).toEqual({ status: 200, body: { ok: true } });
    expect(await statusOf(a.ds, id!)).toMatchObject({ status: 'delivered' });
    expect((await s.generic.pushSigned(url('generic', 'receipts'), { nope: 1 })).status).toBe(400);
    expect((await StandinBase.push(url('aliyun', 'receipts', TOKENS.aliyun), null, {}, '{"not json')).status).toBe(400);
    expect((await StandinBase.push(url('nobody', 'receipts', 'x'), [])).status).toBe(404);
  });

  it('GET /sms/messages masks numbers to the last 4 digits, filters by ref; stats per provider; roles enforced', async () => {
    await sentVia('aliyun', 'list-1');
    const login = async (username: string) =>
      (await request(a.app.getHttpServer()).post('/api/v1/auth/login').send({ username, password: PASSWORD })).body.accessToken as string;
    const duty = await login('duty');
    const res = await request(a.app.getHttpServer())
      .get('/api/v1/sms/messages?refType=wakeup_call&refId=list-1')
      .set('Authorization', `Bearer ${duty}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ to: '+86*******5678', status: 'sent', provider: 'aliyun', refId: 'list-1' })]);
    expect(JSON.stringify(res.body)).not.toContain('13812345678');
    const stats = await request(a.app.getHttpServer())
      .get('/api/v1/sms/stats')
      .set('Authorization', `Bearer ${await login('auditor')}`);
    expect(stats.body).toEqual([
      {
        provider: 'aliyun',
        byStatus: { sent: 1 },
        total: 1,
        requests: 1,
        accepted: 1,
        errorsByCode: {},
        failovers: 0,
        throttles: 0,
        capped: 0,
        queries: {},
      },
    ]);
    const warden = await request(a.app.getHttpServer())
      .get('/api/v1/sms/messages')
      .set('Authorization', `Bearer ${await login('warden-a')}`);
    expect(warden.status).toBe(403);
    expect(
      (await request(a.app.getHttpServer()).get('/api/v1/sms/messages?status=bogus').set('Authorization', `Bearer ${duty}`)).status,
    ).toBe(400);
  });
});

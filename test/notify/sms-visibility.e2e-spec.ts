import { Logger } from '@nestjs/common';
import request from 'supertest';
// Not exported from @fangxun/notify (a library's tables are its own): the test reaches it by class.
import { SmsRepository as SmsRepositoryToken } from '../../libs/notify/src/sms/sms.repository';
import { truncateAll } from '../support/app';
import { PASSWORD, seedTree, seedUsers } from '../support/fixtures';
import { bootSms, enqueue, resetSms, SmsApp, smsTestConfig, Standins, startStandins, stopStandins, TOKENS } from './sms.support';

const phone = (i: number): string => `+86136${String(i).padStart(8, '0')}`;

/** One sample of a Prometheus text exposition, e.g. value(text, 'fangxun_sms_failovers_total', {provider: 'aliyun'}). */
function value(text: string, name: string, labels: Record<string, string>): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('SMS provider trouble is visible: metrics, warn logs, stats by provider, attempt history', () => {
  let s: Standins;
  let a: SmsApp;
  let duty: string;
  beforeAll(async () => {
    s = await startStandins();
    const config = smsTestConfig(s);
    // A wrong Aliyun secret: every Aliyun request is refused (SignatureDoesNotMatch).
    Object.assign(
      config.sms.providers.find((p) => p.name === 'aliyun')!,
      { accessKeySecret: 'not-the-secret' },
    );
    a = await bootSms(config);
    await truncateAll(a.ds);
    await seedTree(a.ds);
    await seedUsers(a.ds);
    duty = (await request(a.app.getHttpServer()).post('/api/v1/auth/login').send({ username: 'duty', password: PASSWORD })).body
      .accessToken as string;
  });
  afterAll(async () => {
    await a?.close();
    await stopStandins(s);
  });
  beforeEach(async () => {
    await resetSms(a.ds);
    [s.aliyun, s.tencent, s.generic].forEach((x) => x.reset());
  });

  it('a wrong Aliyun secret: all go through Tencent, one warn log, counted in /metrics and the stats, kept in each history', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const before = (await request(a.app.getHttpServer()).get('/metrics')).text;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await enqueue(a, phone(i), `vis-${i}`)).id!);
    await a.sender.runOnce();
    expect(s.tencent.sends).toHaveLength(5);
    await s.tencent.pushStatus(`${a.base}/sms/callbacks/tencent/receipts?token=${TOKENS.tencent}`);

    const aliyunWarnings = warn.mock.calls.filter(([m]) => String(m).includes('provider aliyun error SignatureDoesNotMatch'));
    expect(aliyunWarnings).toHaveLength(1); // 5 refusals, one warning (rate-limited per provider and code)
    warn.mockRestore();

    const after = (await request(a.app.getHttpServer()).get('/metrics')).text;
    const delta = (name: string, labels: Record<string, string>): number => value(after, name, labels) - value(before, name, labels);
    expect(delta('fangxun_sms_provider_errors_total', { provider: 'aliyun', code: 'SignatureDoesNotMatch' })).toBe(5);
    expect(delta('fangxun_sms_failovers_total', { provider: 'aliyun' })).toBe(5);
    expect(delta('fangxun_sms_provider_messages_total', { provider: 'tencent', result: 'accepted' })).toBe(5);
    expect(delta('fangxun_sms_provider_requests_total', { provider: 'aliyun', action: 'send' })).toBe(1); // one SendBatchSms
    expect(delta('fangxun_sms_provider_request_seconds_count', { provider: 'tencent', action: 'send' })).toBe(5);

    const stats = await request(a.app.getHttpServer()).get('/api/v1/sms/stats?hours=1').set('Authorization', `Bearer ${duty}`).expect(200);
    expect(stats.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ provider: 'aliyun', requests: 5, accepted: 0, errorsByCode: { SignatureDoesNotMatch: 5 }, failovers: 5 }),
        expect.objectContaining({ provider: 'tencent', requests: 5, accepted: 5, byStatus: { delivered: 5 }, failovers: 0 }),
      ]),
    );

    const list = await request(a.app.getHttpServer())
      .get('/api/v1/sms/messages?refType=wakeup_call&refId=vis-0')
      .set('Authorization', `Bearer ${duty}`)
      .expect(200);
    expect(list.body[0]).toMatchObject({ status: 'delivered', provider: 'tencent' });
    expect(list.body[0].attempts.map((x: Record<string, string>) => [x.provider, x.kind, x.result, x.code])).toEqual([
      ['aliyun', 'send', 'permanent', 'SignatureDoesNotMatch'],
      ['tencent', 'send', 'accepted', undefined],
      ['tencent', 'receipt', 'delivered', 'DELIVRD'],
    ]);
  });

  it('the history keeps the last 20 entries of a message', async () => {
    const r = await enqueue(a, phone(50), 'hist-1');
    const entry = (n: number) => ({ at: new Date().toISOString(), provider: 'aliyun', kind: 'query', result: 'unknown', code: `Q${n}` });
    await a.app.get(SmsRepositoryToken).recordAttempts(Array.from({ length: 25 }, (_, n) => ({ id: r.id!, attempt: entry(n) as never })));
    const [{ attempts }] = await a.ds.query('select attempts from sms_messages where id = $1', [r.id]);
    expect(attempts).toHaveLength(20);
    expect(attempts[0].code).toBe('Q5');
    expect(attempts[19].code).toBe('Q24');
  });
});

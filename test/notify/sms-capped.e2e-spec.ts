import { bootSms, enqueue, events, resetSms, SmsApp, smsTestConfig, Standins, startStandins, statusOf, stopStandins } from './sms.support';

const phone = (i: number): string => `+86137${String(i).padStart(8, '0')}`;

async function drain(a: SmsApp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const pass = await a.sender.runOnce();
    if (pass.claimed === 0) {
      const [{ n }] = await a.ds.query(`select count(*)::int as n from sms_messages where status in ('queued', 'sending')`);
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error('queue did not drain');
}

const sends = (s: Standins): string[] => [...s.aliyun.requests, ...s.tencent.requests].map((r) => r.action);

describe("SMS: a provider's per-number limit is final for the day (capped), after one try of each provider", () => {
  let s: Standins;
  let a: SmsApp;
  beforeAll(async () => {
    s = await startStandins();
    a = await bootSms(smsTestConfig(s));
  });
  afterAll(async () => {
    await a?.close();
    await stopStandins(s);
  });
  beforeEach(async () => {
    await resetSms(a.ds);
    [s.aliyun, s.tencent, s.generic].forEach((x) => x.reset());
  });

  it('Aliyun 天级流控 and Tencent PhoneNumberDailyLimit: capped after one request each, with an event, never retried', async () => {
    s.aliyun.mode = 'limit_day';
    s.tencent.mode = 'limit_day';
    const r = await enqueue(a, phone(1), 'day-1');
    await drain(a);
    expect(await statusOf(a.ds, r.id!)).toMatchObject({
      status: 'capped',
      attempt: 2,
      provider: 'tencent',
      errorCode: 'isv.BUSINESS_LIMIT_CONTROL',
    });
    expect(sends(s)).toEqual(['SendSms', 'SendSms']);
    expect(await events(a.ds, 'sms.status_changed')).toEqual([expect.objectContaining({ smsId: r.id, status: 'capped' })]);
    const stats = await a.ds.query(`select count(*)::int as n from sms_messages where status = 'capped'`);
    expect(stats).toEqual([{ n: 1 }]);
  });

  it('Aliyun 小时级流控 is a limit too; Tencent taking the number sends it', async () => {
    s.aliyun.mode = 'limit_hour';
    const r = await enqueue(a, phone(2), 'hour-1');
    await drain(a);
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', provider: 'tencent', attempt: 2 });
    expect(s.tencent.sendsTo(phone(2))).toBe(1);
  });

  it('Aliyun 分钟级流控 is only a throttle: retried, not capped', async () => {
    s.aliyun.next('throttle');
    s.tencent.next('throttle');
    const r = await enqueue(a, phone(3), 'minute-1');
    await drain(a);
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', provider: 'aliyun', attempt: 3 });
  });

  it('Tencent PhoneNumberOneHourLimit after Aliyun 天级流控: capped', async () => {
    s.aliyun.mode = 'limit_day';
    s.tencent.mode = 'limit_hour';
    const r = await enqueue(a, phone(4), 'hour-2');
    await drain(a);
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'capped', attempt: 2 });
  });

  it('one number at its limit in an Aliyun batch caps only that number: the batch is tried number by number', async () => {
    s.aliyun.dailyLimited.add(phone(12));
    s.tencent.dailyLimited.add(phone(12));
    const ids = await a.ds.transaction((m) =>
      a.sms.enqueueMany(
        m,
        [10, 11, 12, 13, 14].map((i) => ({
          to: phone(i),
          template: 'public_warning',
          params: { issuer: '临海市气象台', kind: '暴雨', level: '红色', summary: '请立即转移' },
          purpose: 'public' as const,
          idempotencyKey: `batch-${i}`,
        })),
      ),
    );
    await drain(a);
    const statuses = await Promise.all(ids.map((x) => statusOf(a.ds, x.id!)));
    expect(statuses.map((x) => x.status)).toEqual(['sent', 'sent', 'capped', 'sent', 'sent']);
    expect(s.aliyun.sends.map((x) => x.to).sort()).toEqual([phone(10), phone(11), phone(13), phone(14)]);
    expect(s.tencent.requests.map((x) => x.action)).toEqual(['SendSms']); // only the capped number, once
  });
});

import { bootSms, enqueue, SmsApp, smsTestConfig, Standins, startStandins, statusOf, stopStandins } from './sms.support';

describe("a drill against a provider stand-in may text the seed's numbers when the provider says so", () => {
  let s: Standins;
  let a: SmsApp;
  beforeAll(async () => {
    s = await startStandins();
    const config = smsTestConfig(s, { chain: ['aliyun'] });
    Object.assign(
      config.sms.providers.find((p) => p.name === 'aliyun')!,
      { refuseFakeNumbers: false },
    );
    a = await bootSms(config);
  });
  afterAll(async () => {
    await a?.close();
    await stopStandins(s);
  });

  it('refuseFakeNumbers: false — a seeded +86199000… number goes to the stand-in (the default refuses it with FAKE_NUMBER)', async () => {
    const seeded = '+8619900054321';
    const r = await enqueue(a, seeded, 'drill-standin-1', { purpose: 'drill' });
    await a.sender.runOnce();
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', provider: 'aliyun' });
    expect(s.aliyun.sendsTo(seeded)).toBe(1);
  });
});

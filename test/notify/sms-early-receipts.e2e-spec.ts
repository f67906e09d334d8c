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

const phone = (i: number): string => `+86138${String(i).padStart(8, '0')}`;

describe("SMS receipts that race the send's answer are parked and applied when it lands", () => {
  let s: Standins;
  let a: SmsApp;
  const receiptsUrl = (): string => `${a.base}/sms/callbacks/tencent/receipts?token=${TOKENS.tencent}`;
  beforeAll(async () => {
    s = await startStandins();
    const config = smsTestConfig(s, { chain: ['tencent', 'aliyun'], earlyReceipts: { keepSeconds: 60, maxParked: 3 } });
    a = await bootSms(config);
  });
  afterAll(async () => {
    await a?.close();
    await stopStandins(s);
  });
  beforeEach(async () => {
    await resetSms(a.ds);
    [s.aliyun, s.tencent, s.generic].forEach((x) => x.reset());
  });

  const parked = async (): Promise<number> => (await a.ds.query('select count(*)::int as n from sms_early_receipts'))[0].n;

  it('a Tencent FAIL receipt (空号) pushed before the answer: the message ends undelivered, events sent then undelivered', async () => {
    s.tencent.earlyReceipts = { url: receiptsUrl(), success: false };
    const r = await enqueue(a, phone(1), 'early-1');
    await a.sender.runFresh();
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'undelivered', provider: 'tencent', errorCode: 'MK:0001' });
    expect((await events(a.ds, 'sms.status_changed')).map((e) => e.status)).toEqual(['sent', 'undelivered']);
    expect(await parked()).toBe(0);
    // The provider's repeat of the same push changes nothing and parks nothing.
    await s.tencent.pushStatus(receiptsUrl(), s.tencent.sends, false);
    expect(await parked()).toBe(0);
    expect((await events(a.ds, 'sms.status_changed')).length).toBe(2);
  });

  it('an early receipt waits in the database (not in memory) until the answer lands, also via the recovery lane', async () => {
    s.tencent.earlyReceipts = { url: receiptsUrl(), success: true };
    s.tencent.next('timeout'); // the answer never comes: the recovery lane's look-up finds the SerialNo
    const r = await enqueue(a, phone(2), 'early-2');
    await a.sender.runFresh();
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sending' });
    expect(await parked()).toBe(1);
    await a.sender.runRecovery();
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'delivered', attempt: 1 });
    expect(await parked()).toBe(0);
    expect(s.tencent.sendsTo(phone(2))).toBe(1);
  });

  it('parking is bounded: old receipts are dropped, and no more than maxParked wait', async () => {
    const push = (i: number) =>
      s.tencent.pushStatus(
        receiptsUrl(),
        [{ to: phone(100 + i), providerMessageId: `5000:unknown-${i}`, outId: '', template: '100002', params: [], at: new Date() }],
        true,
      );
    for (let i = 0; i < 5; i++) expect((await push(i)).status).toBe(200); // acknowledged either way
    expect(await parked()).toBe(3);
    await a.ds.query(`update sms_early_receipts set received_at = now() - interval '2 minutes'`);
    await push(9);
    expect(await parked()).toBe(1);
  });
});

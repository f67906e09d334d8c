import type { SenderPass } from '@fangxun/notify';
import { bootSms, enqueue, resetSms, SmsApp, smsTestConfig, Standins, startStandins, statusOf, stopStandins } from './sms.support';

const phone = (i: number): string => `+86139${String(i).padStart(8, '0')}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `n` messages left `sending` with expired leases by a sender that died after marking them; every other one really left. */
async function orphans(a: SmsApp, s: Standins, n: number): Promise<Array<{ id: string; to: string; left: boolean }>> {
  await a.ds.transaction((m) =>
    a.sms.enqueueMany(
      m,
      Array.from({ length: n }, (_, i) => ({
        to: phone(i),
        template: 'public_warning',
        params: {},
        purpose: 'public' as const,
        refType: 'warning',
        refId: 'w-old',
        idempotencyKey: `old-${i}`,
      })),
    ),
  );
  const rows: Array<{ id: string; to: string; out_id: string }> = await a.ds.query(
    `with u as (update sms_messages set status = 'sending', attempt = 1, provider = 'aliyun', out_id = md5(id::text), sending_at = now(),
       claim_token = gen_random_uuid(), lease_until = now() - interval '1 second'
     where ref_id = 'w-old' returning id, to_phone as "to", out_id) select * from u order by "to"`,
  );
  return rows.map((r, i) => {
    const left = i % 2 === 0;
    if (left)
      s.aliyun.sends.push({ to: r.to, outId: r.out_id, providerMessageId: `${i}^0`, template: 'SMS_P0001', params: {}, at: new Date() });
    return { id: r.id, to: r.to, left };
  });
}

async function drain(a: SmsApp): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const pass = await a.sender.runOnce();
    if (pass.claimed === 0) {
      const [{ n }] = await a.ds.query(`select count(*)::int as n from sms_messages where status in ('queued', 'sending')`);
      if (n === 0) return;
      await sleep(50);
    }
  }
  throw new Error('queue did not drain');
}

describe('SMS sender under a slow provider: fresh sends never wait behind status look-ups', () => {
  let s: Standins;
  let a: SmsApp;
  let b: SmsApp;
  beforeAll(async () => {
    s = await startStandins();
    // A 7 s lease, while one recovery pass needs ~15 s of 1.5 s look-ups: only lease extension keeps it.
    const config = smsTestConfig(s, {}, { leaseSeconds: 7, recoveryClaimLimit: 1000, queryConcurrency: 50, recoveryPassSeconds: 120 });
    // Aliyun's requests may take 2.5 s (its look-ups answer in 1.5 s).
    Object.assign(
      config.sms.providers.find((p) => p.name === 'aliyun')!,
      { timeoutMs: 2500 },
    );
    a = await bootSms(config);
    b = await bootSms(config);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await stopStandins(s);
  });
  beforeEach(async () => {
    await resetSms(a.ds);
    [s.aliyun, s.tencent, s.generic].forEach((x) => x.reset());
  });

  it('a 5-person order leaves while 500 unknown outcomes are looked up (1.5 s each); each looked up once, nothing doubled', async () => {
    s.aliyun.queryDelayMs = 1500;
    const old = await orphans(a, s, 500);
    let recoveryDone = false;
    const recovery = a.sender.runRecovery().then((p) => {
      recoveryDone = true;
      return p;
    });
    await sleep(200); // the recovery lane has claimed its rows and its look-ups are in flight
    const fresh = await Promise.all(Array.from({ length: 5 }, (_, i) => enqueue(a, `+86135${String(i).padStart(8, '0')}`, `fresh-${i}`)));
    const freshPass = await a.sender.runFresh();
    expect(freshPass).toMatchObject({ claimed: 5, sent: 5 });
    for (const f of fresh) expect(await statusOf(a.ds, f.id!)).toMatchObject({ status: 'sent', attempt: 1, provider: 'aliyun' });
    // Sent before the recovery lane drained: it is still asking.
    expect(recoveryDone).toBe(false);
    expect(s.aliyun.queries()).toBeLessThan(500);

    // A second worker meanwhile finds nothing to take: the first one's lease is kept alive.
    const stolen: SenderPass[] = [];
    while (!recoveryDone) {
      stolen.push(await b.sender.runRecovery());
      await sleep(1000);
    }
    expect(stolen.length).toBeGreaterThan(7); // it tried for longer than the 7 s lease
    expect(stolen.every((p) => p.claimed === 0)).toBe(true);
    expect(await recovery).toMatchObject({ claimed: 500, recovered: 250 });
    await drain(a);

    expect(s.aliyun.queries()).toBe(500);
    for (const o of old) {
      expect(s.aliyun.sendsTo(o.to) + s.tencent.sendsTo(o.to)).toBe(1);
      expect(await statusOf(a.ds, o.id)).toMatchObject({ status: 'sent', attempt: o.left ? 1 : 2 });
    }
  }, 120_000);

  it('a batch answering 500 is handed to the recovery lane without a look-up in the fresh lane, then fails over once', async () => {
    s.aliyun.queryDelayMs = 1500;
    s.aliyun.next('500');
    const rows = await Promise.all(Array.from({ length: 87 }, (_, i) => enqueue(a, phone(2000 + i), `b-${i}`)));
    const fresh = await a.sender.runFresh();
    expect(fresh).toMatchObject({ claimed: 87, unknown: 87, sent: 0 });
    expect(s.aliyun.queries()).toBe(0);
    const rec = await a.sender.runRecovery();
    expect(rec).toMatchObject({ claimed: 87, sent: 87 });
    expect(s.aliyun.queries()).toBe(87);
    for (const r of rows) expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', provider: 'tencent', attempt: 2 });
    expect(s.tencent.sends).toHaveLength(87);
    expect(s.aliyun.sends).toHaveLength(0);
  }, 60_000);
});

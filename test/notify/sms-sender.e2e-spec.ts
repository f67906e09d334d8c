import { AliyunSmsProvider } from '../../libs/notify/src/sms/providers/aliyun.provider';
import { SandboxSmsProvider } from '../../libs/notify/src/sms/providers/sandbox.provider';
import { bootSms, enqueue, events, resetSms, SmsApp, smsTestConfig, Standins, startStandins, statusOf, stopStandins } from './sms.support';

const phone = (i: number): string => `+86138${String(i).padStart(8, '0')}`;

async function drain(...apps: SmsApp[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const passes = await Promise.all(apps.map((a) => a.sender.runOnce()));
    if (passes.every((p) => p.claimed === 0)) {
      const [{ n }] = await apps[0].ds.query(`select count(*)::int as n from sms_messages where status in ('queued', 'sending')`);
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 20)); // a retry's backoff not yet due
    }
  }
  throw new Error('queue did not drain');
}

describe('SMS sender: failover, unknown outcomes, crash recovery, two workers', () => {
  let s: Standins;
  let a: SmsApp;
  let b: SmsApp;
  beforeAll(async () => {
    s = await startStandins();
    const config = smsTestConfig(s, { dailyCapPerNumber: 50, drillChain: ['sandbox'] });
    // Tencent's own limit (3 a day) is the smaller: it becomes the queue's cap.
    const tencent = config.sms.providers.find((p) => p.name === 'tencent')!;
    Object.assign(tencent, { dailyCapPerNumber: 3 });
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

  it('sends through the primary (Aliyun), records the BizId and appends sms.status_changed "sent"', async () => {
    const r = await enqueue(a, phone(1), 'k1');
    expect(r.status).toBe('queued');
    const pass = await a.sender.runOnce();
    expect(pass).toMatchObject({ claimed: 1, sent: 1 });
    expect(await statusOf(a.ds, r.id!)).toMatchObject({
      status: 'sent',
      attempt: 1,
      provider: 'aliyun',
      pmid: s.aliyun.sends[0].providerMessageId,
    });
    expect(s.aliyun.sends[0]).toMatchObject({
      to: phone(1),
      template: 'SMS_W0001',
      params: { order: '立即转移岭根村危险区群众', name: '王五' },
    });
    expect(await events(a.ds, 'sms.status_changed')).toEqual([
      { smsId: r.id, refType: 'wakeup_call', refId: 'k1', to: phone(1), status: 'sent', provider: 'aliyun' },
    ]);
  });

  it.each(['500', 'throttle'] as const)('Aliyun answering %s fails over to Tencent; Aliyun sent nothing', async (mode) => {
    s.aliyun.mode = mode;
    const r = await enqueue(a, phone(2), `fo-${mode}`);
    await a.sender.runOnce();
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', provider: 'tencent', attempt: 2 });
    expect(s.aliyun.sendsTo(phone(2))).toBe(0);
    expect(s.tencent.sendsTo(phone(2))).toBe(1);
    // A 500 may hide a send: Aliyun was asked (QuerySendDetails) before Tencent was tried.
    if (mode === '500') expect(s.aliyun.requests.map((q) => q.action)).toEqual(['SendSms', 'QuerySendDetails']);
  });

  it('a timeout after the request left: QuerySendDetails finds our OutId, so nothing is sent again (stand-in counts 1)', async () => {
    s.aliyun.next('timeout');
    const r = await enqueue(a, phone(3), 'to-1');
    const pass = await a.sender.runOnce();
    expect(pass.sent).toBe(1);
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', provider: 'aliyun', attempt: 1 });
    expect(s.aliyun.sendsTo(phone(3))).toBe(1);
    expect(s.tencent.sendsTo(phone(3))).toBe(0);
    await drain(a);
    expect(s.aliyun.sendsTo(phone(3)) + s.tencent.sendsTo(phone(3))).toBe(1);
  });

  it('crash: a row left `sending` (request had left) with an expired lease is recovered by query, not re-sent', async () => {
    const r = await enqueue(a, phone(4), 'crash-1');
    // What a sender that died right after its HTTP request leaves behind: the committed attempt …
    await a.ds.query(
      `update sms_messages set status = 'sending', attempt = 1, provider = 'aliyun', out_id = 'deadbeef', sending_at = now(),
         claim_token = gen_random_uuid(), lease_until = now() - interval '1 second' where id = $1`,
      [r.id],
    );
    // … and the message the provider did take.
    await (a.providers.get('aliyun') as AliyunSmsProvider).send({
      outId: 'deadbeef',
      template: 'wakeup_order',
      items: [{ messageId: r.id!, to: phone(4), template: 'wakeup_order', params: {} }],
    });
    const pass = await a.sender.runOnce();
    expect(pass).toMatchObject({ claimed: 1, recovered: 1, sent: 1 });
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', attempt: 1, provider: 'aliyun' });
    expect(s.aliyun.sendsTo(phone(4))).toBe(1);
  });

  it('crash: a row left `sending` whose request never left is sent once after the query finds nothing', async () => {
    const r = await enqueue(a, phone(5), 'crash-2');
    await a.ds.query(
      `update sms_messages set status = 'sending', attempt = 1, provider = 'aliyun', out_id = 'never-left', sending_at = now(),
         claim_token = gen_random_uuid(), lease_until = now() - interval '1 second' where id = $1`,
      [r.id],
    );
    await a.sender.runOnce();
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', attempt: 2 });
    expect(s.aliyun.sendsTo(phone(5))).toBe(1);
    expect(s.aliyun.requests.map((q) => q.action)).toEqual(['QuerySendDetails', 'SendSms']);
  });

  it('a row held under a live lease by another sender is left alone', async () => {
    const r = await enqueue(a, phone(6), 'held');
    await a.ds.query(
      `update sms_messages set status = 'sending', claim_token = gen_random_uuid(), lease_until = now() + interval '1 minute' where id = $1`,
      [r.id],
    );
    expect((await b.sender.runOnce()).claimed).toBe(0);
    expect(s.aliyun.sends).toHaveLength(0);
  });

  it('two sender instances over 500 queued messages send each exactly once', async () => {
    await a.ds.transaction(async (m) => {
      const rows = Array.from({ length: 500 }, (_, i) => ({
        to: phone(1000 + i),
        template: 'public_warning',
        params: { issuer: '临海市气象台', kind: '暴雨', level: '橙色', summary: '未来3小时降雨量将达50毫米以上' },
        purpose: 'public' as const,
        refType: 'warning',
        refId: 'w-1',
        idempotencyKey: `pub-${i}`,
      }));
      const out = await a.sms.enqueueMany(m, rows);
      expect(out.filter((o) => o.status === 'queued')).toHaveLength(500);
    });
    await drain(a, b);
    const tos = [...s.aliyun.sends, ...s.tencent.sends].map((x) => x.to);
    expect(tos).toHaveLength(500);
    expect(new Set(tos).size).toBe(500);
    const [{ n }] = await a.ds.query(`select count(*)::int as n from sms_messages where status = 'sent' and attempt = 1`);
    expect(n).toBe(500);
    expect((await events(a.ds, 'sms.status_changed')).length).toBe(500);
    // SendBatchSms carried them (≤ 100 per request), not 500 single sends.
    expect(s.aliyun.requests.filter((q) => q.action === 'SendBatchSms').length).toBeGreaterThanOrEqual(5);
    expect(s.aliyun.requests.length).toBeLessThan(50);
  });

  it('throttled by Aliyun and refused by Tencent: retried with backoff, failed after maxAttempts, with an event', async () => {
    s.tencent.templateParamCounts.set('100002', 1); // Tencent: template mismatch (permanent)
    s.aliyun.mode = 'throttle';
    const r = await enqueue(a, phone(7), 'perm');
    await drain(a);
    const row = await statusOf(a.ds, r.id!);
    expect(row).toMatchObject({ status: 'failed', attempt: 4 });
    const ev = await events(a.ds, 'sms.status_changed');
    expect(ev).toEqual([expect.objectContaining({ smsId: r.id, status: 'failed' })]);
    s.tencent.templateParamCounts.clear();
  });

  it('a number both providers refuse for good fails at once (no retry rounds), with the reason', async () => {
    const r = await enqueue(a, '+85291234567', 'hk');
    await drain(a);
    expect(await statusOf(a.ds, r.id!)).toMatchObject({
      status: 'failed',
      attempt: 2,
      errorCode: 'InvalidParameterValue.IncorrectPhoneNumber',
    });
    expect(s.aliyun.requests.map((q) => q.action)).toEqual(['SendSms']);
  });

  it('daily cap per number: the 4th message of the Beijing day is "capped" (not queued); duplicates are "duplicate"', async () => {
    for (let i = 0; i < 3; i++) expect((await enqueue(a, phone(8), `cap-${i}`)).status).toBe('queued');
    expect(await enqueue(a, phone(8), 'cap-0')).toMatchObject({ status: 'duplicate' });
    expect(await enqueue(a, phone(8), 'cap-3')).toEqual({ id: null, status: 'capped' });
    expect(await a.sms.remainingToday(phone(8))).toBe(0);
    expect(await a.sms.remainingToday(phone(9))).toBe(3);
    const bulk = await a.ds.transaction((m) =>
      a.sms.enqueueMany(
        m,
        ['x1', 'x2', 'x3', 'x4', 'cap-1'].map((k) => ({
          to: phone(9),
          template: 'public_warning',
          params: {},
          purpose: 'public' as const,
          idempotencyKey: k,
        })),
      ),
    );
    expect(bulk.map((x) => x.status)).toEqual(['queued', 'queued', 'queued', 'capped', 'duplicate']);
    const [{ n }] = await a.ds.query('select count(*)::int as n from sms_messages');
    expect(n).toBe(6);
  });

  it('drill messages go through sms.drillChain (the sandbox), demo numbers included; no provider is touched', async () => {
    const r = await enqueue(a, '+8619900054321', 'drill-1', { purpose: 'drill' });
    await drain(a);
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'sent', provider: 'sandbox', pmid: expect.stringMatching(/^sandbox-/) });
    expect(s.aliyun.requests).toHaveLength(0);
    expect(s.tencent.requests).toHaveLength(0);
  });

  it('the sandbox takes demo numbers; the real chain refuses them', async () => {
    const r = await enqueue(a, '+8619900012345', 'demo-1');
    await drain(a);
    expect(await statusOf(a.ds, r.id!)).toMatchObject({ status: 'failed', errorCode: 'FAKE_NUMBER' });
    const sandbox = a.providers.get('sandbox') as SandboxSmsProvider;
    const [o] = await sandbox.send({
      outId: 'x',
      template: 'wakeup_order',
      items: [{ messageId: 'm', to: '+8619900012345', template: 'wakeup_order', params: { order: '转移', name: '张三', link: 'L' } }],
    });
    expect(o.result).toBe('accepted');
    expect(sandbox.recent.at(-1)!.text).toBe('【临海防汛】指挥部指令：转移。请张三立即执行，收到请回复1或点击L确认。');
  });
});

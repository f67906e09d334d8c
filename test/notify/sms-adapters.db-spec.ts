import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SmsProviderConfig } from '@fangxun/config';
import { AliyunSmsProvider } from '../../libs/notify/src/sms/providers/aliyun.provider';
import { classifyAliyun, classifyTencent } from '../../libs/notify/src/sms/providers/error-codes';
import { GenericSmsProvider } from '../../libs/notify/src/sms/providers/generic.provider';
import type { ProviderOptions } from '../../libs/notify/src/sms/providers/provider-common';
import { percentEncode } from '../../libs/notify/src/sms/providers/signing';
import { TencentSmsProvider } from '../../libs/notify/src/sms/providers/tencent.provider';
import type { SendOutcome, SmsItem } from '../../libs/notify/src/sms/sms.types';
import { AliyunStandin, GenericStandin, TencentStandin } from '../support/sms-standins';

const fixture = (p: string): unknown => JSON.parse(readFileSync(join(__dirname, '../fixtures/sms', p), 'utf8'));

const opts: ProviderOptions = {
  fakePrefix: '+86199000',
  now: () => new Date(),
  render: (t, p) => `${t}:${JSON.stringify(p)}`,
  paramOrder: (t) => (t === 'wakeup_order' ? ['order', 'name', 'link'] : ['code']),
};
const items = (n: number, params: Record<string, string> = { order: '转移', name: '王五', link: 'https://x/a' }): SmsItem[] =>
  Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, to: `+861380000${String(1000 + i)}`, template: 'wakeup_order', params }));

function aliyunCfg(s: AliyunStandin, over: Partial<Extract<SmsProviderConfig, { kind: 'aliyun' }>> = {}) {
  return {
    name: 'aliyun',
    kind: 'aliyun' as const,
    enabled: true,
    endpoint: s.url,
    accessKeyId: s.accessKeyId,
    accessKeySecret: s.accessKeySecret,
    signName: '临海防汛',
    templates: { wakeup_order: 'SMS_W0001' },
    timeoutMs: 1000,
    ratePerSecond: 1000,
    burst: 1000,
    ...over,
  };
}

function tencentCfg(s: TencentStandin, over: Partial<Extract<SmsProviderConfig, { kind: 'tencent' }>> = {}) {
  return {
    name: 'tencent',
    kind: 'tencent' as const,
    enabled: true,
    endpoint: s.url,
    secretId: s.secretId,
    secretKey: s.secretKey,
    region: 'ap-guangzhou',
    smsSdkAppId: s.smsSdkAppId,
    signName: '临海防汛',
    templates: { wakeup_order: '100002' },
    timeoutMs: 1000,
    ratePerSecond: 1000,
    burst: 1000,
    ...over,
  };
}

const accepted = (o: SendOutcome[]) => o.filter((x) => x.result === 'accepted').length;

describe('SMS adapters against their stand-ins', () => {
  const aliyun = new AliyunStandin();
  const tencent = new TencentStandin();
  const generic = new GenericStandin();
  beforeAll(async () => {
    await Promise.all([aliyun.start(), tencent.start(), generic.start()]);
  });
  afterAll(() => Promise.all([aliyun.stop(), tencent.stop(), generic.stop()]));
  beforeEach(() => [aliyun, tencent, generic].forEach((s) => s.reset()));

  it('percent-encodes as RFC 3986 (Aliyun): only A-Z a-z 0-9 - _ . ~ kept, space %20, UTF-8 bytes', () => {
    expect(percentEncode("a b*c~d'!()")).toBe('a%20b%2Ac~d%27%21%28%29');
    expect(percentEncode('临')).toBe('%E4%B8%B4');
    expect(percentEncode('2016-02-23T12:46:24Z')).toBe('2016-02-23T12%3A46%3A24Z');
  });

  it('Aliyun: SendSms for one number and SendBatchSms for several pass the stand-in signature check', async () => {
    const p = new AliyunSmsProvider(aliyunCfg(aliyun), opts);
    const one = await p.send({ outId: 'o1', template: 'wakeup_order', items: items(1) });
    expect(one).toEqual([{ messageId: 'm0', result: 'accepted', providerMessageId: expect.stringMatching(/^\d{18}\^0$/) }]);
    const many = await p.send({ outId: 'o2', template: 'wakeup_order', items: items(3) });
    expect(accepted(many)).toBe(3);
    expect(aliyun.requests.map((r) => [r.action, r.verified])).toEqual([
      ['SendSms', true],
      ['SendBatchSms', true],
    ]);
    expect(aliyun.sends.map((s) => s.outId)).toEqual(['o1', 'o2', 'o2', 'o2']);
    expect(aliyun.sends[1].params).toEqual({ order: '转移', name: '王五', link: 'https://x/a' });
  });

  it('Aliyun: a wrong secret is refused by the stand-in (SignatureDoesNotMatch) and is a permanent failure', async () => {
    const p = new AliyunSmsProvider(aliyunCfg(aliyun, { accessKeySecret: 'wrong' }), opts);
    const [o] = await p.send({ outId: 'o', template: 'wakeup_order', items: items(1) });
    expect(o).toMatchObject({ result: 'failed', failure: 'permanent', code: 'SignatureDoesNotMatch' });
    expect(aliyun.requests[0]).toMatchObject({ verified: false, error: 'SignatureDoesNotMatch' });
    expect(aliyun.sends).toHaveLength(0);
  });

  it('Aliyun: throttling (isv.BUSINESS_LIMIT_CONTROL) is "throttled", 500 is "unknown", and QuerySendDetails finds our OutId', async () => {
    const p = new AliyunSmsProvider(aliyunCfg(aliyun), opts);
    aliyun.next('throttle', '500');
    expect((await p.send({ outId: 'a', template: 'wakeup_order', items: items(1) }))[0]).toMatchObject({
      result: 'failed',
      failure: 'throttled',
    });
    expect((await p.send({ outId: 'b', template: 'wakeup_order', items: items(1) }))[0]).toMatchObject({ result: 'unknown' });
    await p.send({ outId: 'c', template: 'wakeup_order', items: items(1) });
    const q = await p.query([
      { messageId: 'm0', to: items(1)[0].to, outId: 'c', sentAfter: new Date() },
      { messageId: 'm1', to: items(1)[0].to, outId: 'b', sentAfter: new Date() },
    ]);
    expect(q.map((x) => x.found)).toEqual([true, false]);
  });

  it('real adapters refuse the demo prefix without any request', async () => {
    const p = new AliyunSmsProvider(aliyunCfg(aliyun), opts);
    const [o] = await p.send({ outId: 'o', template: 'wakeup_order', items: [{ ...items(1)[0], to: '+8619900012345' }] });
    expect(o).toMatchObject({ result: 'failed', failure: 'permanent', code: 'FAKE_NUMBER' });
    expect(aliyun.requests).toHaveLength(0);
  });

  it('Tencent: TC3-HMAC-SHA256 verifies; per-number SendStatusSet gives one serial per number', async () => {
    const p = new TencentSmsProvider(tencentCfg(tencent), opts);
    const out = await p.send({ outId: 'sess-1', template: 'wakeup_order', items: items(2) });
    expect(out.map((o) => o.result)).toEqual(['accepted', 'accepted']);
    expect(tencent.requests).toEqual([{ action: 'SendSms', verified: true, error: undefined }]);
    expect(tencent.sends.map((s) => [s.to, s.outId, s.params])).toEqual([
      ['+8613800001000', 'sess-1', ['转移', '王五', 'https://x/a']],
      ['+8613800001001', 'sess-1', ['转移', '王五', 'https://x/a']],
    ]);
    const q = await p.query([{ messageId: 'm0', to: '+8613800001000', outId: 'sess-1', sentAfter: new Date(Date.now() - 1000) }]);
    expect(q[0]).toMatchObject({ found: true, providerMessageId: tencent.sends[0].providerMessageId });
  });

  it('Tencent: a wrong key is AuthFailure.SignatureFailure (permanent); a param mismatch fails per number, typo code included', async () => {
    const bad = new TencentSmsProvider(tencentCfg(tencent, { secretKey: 'nope' }), opts);
    expect((await bad.send({ outId: 's', template: 'wakeup_order', items: items(1) }))[0]).toMatchObject({
      result: 'failed',
      failure: 'permanent',
      code: 'AuthFailure.SignatureFailure',
    });
    tencent.templateParamCounts.set('100002', 1);
    const p = new TencentSmsProvider(tencentCfg(tencent), opts);
    const out = await p.send({ outId: 's', template: 'wakeup_order', items: items(2) });
    expect(out).toEqual([
      expect.objectContaining({ result: 'failed', failure: 'permanent', code: 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate' }),
      expect.objectContaining({ result: 'failed', failure: 'permanent', code: 'FailedOperation.TemplateParamSetNotMatchApprovedTemplat' }),
    ]);
    tencent.next('throttle');
    tencent.templateParamCounts.clear();
    expect((await p.send({ outId: 's', template: 'wakeup_order', items: items(1) }))[0]).toMatchObject({
      failure: 'throttled',
      code: 'RequestLimitExceeded',
    });
  });

  it('generic gateway: HMAC body signature accepted; a wrong secret gets 401 (permanent)', async () => {
    const cfg = {
      name: 'g',
      kind: 'generic' as const,
      enabled: true,
      endpoint: generic.url,
      requestSecret: generic.requestSecret,
      timeoutMs: 1000,
      ratePerSecond: 1,
      burst: 1,
    };
    const ok = await new GenericSmsProvider(cfg, { ...opts, maxSkewSeconds: 300 }).send({
      outId: 'g1',
      template: 'wakeup_order',
      items: items(2),
    });
    expect(accepted(ok)).toBe(2);
    const bad = await new GenericSmsProvider({ ...cfg, requestSecret: 'another-secret-000000' }, { ...opts, maxSkewSeconds: 300 }).send({
      outId: 'g2',
      template: 'wakeup_order',
      items: items(1),
    });
    expect(bad[0]).toMatchObject({ result: 'failed', failure: 'permanent', code: 'HTTP_401' });
  });

  it('timeouts after the request left are "unknown"; a refused connection is a retryable failure', async () => {
    const p = new AliyunSmsProvider(aliyunCfg(aliyun, { timeoutMs: 200 }), opts);
    aliyun.next('timeout');
    expect((await p.send({ outId: 't', template: 'wakeup_order', items: items(1) }))[0]).toMatchObject({ result: 'unknown' });
    const closed = new AliyunSmsProvider(aliyunCfg(aliyun, { endpoint: 'http://127.0.0.1:1/' }), opts);
    expect((await closed.send({ outId: 't', template: 'wakeup_order', items: items(1) }))[0]).toMatchObject({
      result: 'failed',
      failure: 'retryable',
      code: 'ECONNREFUSED',
    });
  });
});

describe('SMS provider formats (fixtures from the providers’ documentation)', () => {
  const p = new AliyunSmsProvider(
    {
      name: 'aliyun',
      kind: 'aliyun',
      enabled: true,
      endpoint: 'http://127.0.0.1:1/',
      accessKeyId: 'k',
      accessKeySecret: 's',
      signName: 'x',
      templates: {},
      timeoutMs: 100,
      ratePerSecond: 1,
      burst: 1,
    },
    opts,
  );
  const t = new TencentSmsProvider(
    {
      name: 'tencent',
      kind: 'tencent',
      enabled: true,
      endpoint: 'http://127.0.0.1:1/',
      secretId: 'i',
      secretKey: 'k',
      region: 'r',
      smsSdkAppId: '1',
      signName: 'x',
      templates: {},
      timeoutMs: 100,
      ratePerSecond: 1,
      burst: 1,
    },
    opts,
  );

  it('Aliyun SmsReport: array, sms_size as a string, Beijing times', () => {
    const [r] = p.parseReceipts(fixture('aliyun/smsreport-http-push-example.json'));
    expect(r).toMatchObject({ delivered: true, code: 'DELIVERED', providerMessageId: '12345********', outId: '67890**' });
    expect(r.at?.toISOString()).toBe('2016-12-31T16:00:00.000Z');
  });

  it('Aliyun SmsUp: sequence_id as a number (legacy) or a string (current) gives the same dedup key', () => {
    const [legacy] = p.parseReplies(fixture('aliyun/smsup-http-push-example-legacy.json'));
    const [current] = p.parseReplies(fixture('aliyun/smsup-http-push-example-current.json'));
    expect(legacy.dedupKey).toBe('seq:1234567890');
    expect(current.dedupKey).toBe('seq:1234567890');
    expect(current).toMatchObject({ text: '内容', destCode: '1234' });
  });

  it('Tencent status callback (array, sid) and reply callback (one object, Unix seconds)', () => {
    const [s] = t.parseReceipts(fixture('tencent/status-callback-push-example.json'));
    expect(s).toMatchObject({ delivered: true, code: 'DELIVRD', providerMessageId: 'xxxxxxx' });
    expect(s.at?.toISOString()).toBe('2015-10-17T00:03:04.000Z');
    const [r] = t.parseReplies(fixture('tencent/reply-callback-push-example.json'));
    expect(r).toMatchObject({ text: '用户回复的内容' });
    expect(r.receivedAt.toISOString()).toBe(new Date(1457336869000).toISOString());
  });

  it('error codes: every Aliyun code in error-codes.json and the Tencent failure example are classified', () => {
    const codes = Object.keys(fixture('aliyun/error-codes.json') as object).filter((c) => !c.startsWith('_') && c !== 'OK');
    expect(codes.map((c) => [c, classifyAliyun(c)]).filter(([, k]) => k === 'throttled')).toEqual([
      ['isv.BUSINESS_LIMIT_CONTROL', 'throttled'],
    ]);
    expect(classifyAliyun('isv.MOBILE_NUMBER_ILLEGAL')).toBe('permanent');
    expect(classifyAliyun('isp.SYSTEM_ERROR')).toBe('retryable');
    const failure = fixture('tencent/sendsms-response-failure-template-param-mismatch.json') as {
      Response: { SendStatusSet: Array<{ Code: string }> };
    };
    expect(failure.Response.SendStatusSet.map((s) => classifyTencent(s.Code))).toEqual(['permanent', 'permanent']);
    // A per-number daily limit is final for the day (capped), not a throttle to retry six times.
    expect(classifyTencent('LimitExceeded.PhoneNumberDailyLimit')).toBe('capped');
    expect(classifyAliyun('isv.BUSINESS_LIMIT_CONTROL', '触发天级流控Permits:10')).toBe('capped');
  });
});

import { loadConfig, smsSchema } from '@fangxun/config';
import { safeEqual } from './providers/callback-auth';
import { classifyAliyun, classifyTencent } from './providers/error-codes';
import { beijingTime, beijingYmd, toE164 } from './providers/provider-http';
import { maskPhone } from './sms.mapper';
import { renderTemplate } from './sms-templates';
import { TokenBucket } from './token-bucket';

describe('SMS pure logic', () => {
  it('normalises pushed numbers to E.164', () => {
    expect(toE164('13812345678')).toBe('+8613812345678');
    expect(toE164('8613812345678')).toBe('+8613812345678');
    expect(toE164('008613812345678')).toBe('+8613812345678');
    expect(toE164('13812345678', '86')).toBe('+8613812345678');
    expect(toE164('+8613812345678')).toBe('+8613812345678');
  });

  it('reads zone-less provider times as Beijing time, and Beijing days for QuerySendDetails', () => {
    expect(beijingTime('2017-01-01 00:00:00')?.toISOString()).toBe('2016-12-31T16:00:00.000Z');
    expect(beijingTime('yesterday')).toBeNull();
    expect(beijingYmd(new Date('2026-06-30T16:30:00Z'))).toBe('20260701');
  });

  it('masks all but the last four digits', () => {
    expect(maskPhone('+8613812345678')).toBe('+86*******5678');
    expect(maskPhone('+85291234567')).toBe('+*******4567');
  });

  it('renders the configured Chinese templates; every default template checks its placeholders', () => {
    const sms = loadConfig({ JWT_SECRET: 'x'.repeat(40) }).sms;
    expect(Object.keys(sms.templates).sort()).toEqual(
      [
        'escalation',
        'flash_flood',
        'geo_hazard',
        'public_warning',
        'rainstorm',
        'river_flood',
        'stand_down',
        'typhoon',
        'wakeup_order',
      ].sort(),
    );
    expect(
      renderTemplate(sms, 'rainstorm', {
        area: '东塍镇',
        level: '红色',
        summary: '3小时雨量已超100毫米',
        name: '李四',
        link: 'https://fx/a/1',
      }),
    ).toBe('【临海防汛】东塍镇发布暴雨红色预警：3小时雨量已超100毫米。请李四立即组织巡查转移，收到请回复1或点击https://fx/a/1确认。');
    const bad = smsSchema.safeParse({ ...sms, templates: { x: { text: '${nope}', params: [] } } });
    expect(bad.success).toBe(false);
    const unknownChain = smsSchema.safeParse({ ...sms, chain: ['ghost'] });
    expect(unknownChain.success).toBe(false);
  });

  it("maps providers' limit codes: per-number hour/day/same-content limits are capped, minute and 30 s limits throttle", () => {
    expect(classifyAliyun('isv.BUSINESS_LIMIT_CONTROL', '触发天级流控Permits:10')).toBe('capped');
    expect(classifyAliyun('isv.BUSINESS_LIMIT_CONTROL', '触发小时级流控Permits:5')).toBe('capped');
    expect(classifyAliyun('isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1')).toBe('throttled');
    expect(classifyAliyun('isv.MOBILE_NUMBER_ILLEGAL')).toBe('permanent');
    expect(classifyTencent('LimitExceeded.PhoneNumberDailyLimit')).toBe('capped');
    expect(classifyTencent('LimitExceeded.PhoneNumberOneHourLimit')).toBe('capped');
    expect(classifyTencent('LimitExceeded.PhoneNumberSameContentDailyLimit')).toBe('capped');
    expect(classifyTencent('LimitExceeded.PhoneNumberThirtySecondLimit')).toBe('throttled');
    expect(classifyTencent('LimitExceeded.DeliveryFrequencyLimit')).toBe('throttled');
    expect(classifyTencent('LimitExceeded.AppDailyLimit')).toBe('throttled');
    expect(classifyTencent('LimitExceeded.PhoneNumberCountLimit')).toBe('permanent');
  });

  it('compares secrets in constant time and never equal across lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('token bucket: a burst passes at once, the debt beyond it is waited off at the rate', async () => {
    let t = 0;
    const bucket = new TokenBucket(100, 10, () => t);
    await bucket.take(10); // within the burst: no wait
    const waited = bucket.take(5); // 5 in debt at 100/s → ~50 ms
    t += 1000; // the fake clock moves; the wait itself is real setTimeout
    await waited;
    await bucket.take(10); // a second of refill at 100/s caps at the burst (10)
  });
});

import type { CapInfo } from '../cap/cap.types';
import { classify, headlineAction } from './warning-classify';

const info = (over: Partial<CapInfo>): CapInfo => ({
  language: 'zh-CN',
  category: ['Met'],
  event: '',
  responseType: [],
  urgency: 'Expected',
  severity: 'Unknown',
  certainty: 'Likely',
  eventCode: [],
  parameter: [],
  resource: [],
  area: [],
  ...over,
});

describe('warning kind, level and issuer', () => {
  it.each([
    ['暴雨蓝色预警信号', 'Unknown', 'rainstorm', 'blue'],
    ['暴雨红色预警信号', 'Minor', 'rainstorm', 'red'],
    ['山洪灾害气象预警', 'Severe', 'flash_flood', 'orange'],
    ['地质灾害气象风险预警', 'Moderate', 'geo_hazard', 'yellow'],
    ['台风橙色预警信号', 'Unknown', 'typhoon', 'orange'],
    ['江河洪水预警', 'Extreme', 'river_flood', 'red'],
    ['Severe Thunderstorm Warning', 'Severe', 'other', 'orange'],
    ['Flash Flood Warning', 'Minor', 'flash_flood', 'blue'],
    ['Earthquake', 'Unknown', 'other', null],
  ] as const)('%s (%s) → %s %s', (event, severity, kind, level) => {
    expect(classify(info({ event, severity }), 'x@y')).toMatchObject({ kind, level });
  });

  it('prefers parameters, then the sender, then the kind for the issuer', () => {
    expect(classify(info({ event: '暴雨', parameter: [{ valueName: 'level', value: 'Ⅱ级' }] }), 'a')).toMatchObject({ level: 'orange' });
    expect(classify(info({ event: '暴雨', parameter: [{ valueName: 'issuer', value: 'hq' }] }), 'a').issuer).toBe('hq');
    expect(classify(info({ event: '暴雨', senderName: '临海市水利局' }), 'a').issuer).toBe('water_resources');
    expect(classify(info({ event: '地质灾害' }), 'a').issuer).toBe('natural_resources');
    expect(classify(info({ event: 'Earthquake' }), 'a').issuer).toBe('other');
    expect(classify(info({ event: 'x', parameter: [{ valueName: 'kind', value: 'flash_flood' }] }), 'a').kind).toBe('flash_flood');
  });
});

/**
 * Headlines as Chinese issuers write them (shapes from 中国气象局 / 省水利厅 / 自然资源 bulletins;
 * texts our own). The level is the colour the message leaves standing; 解除 lifts.
 */
describe('level and action from the headline', () => {
  const KINDS = [
    ['暴雨', '暴雨预警信号', 'rainstorm'],
    ['台风', '台风预警信号', 'typhoon'],
    ['山洪', '山洪灾害气象预警', 'flash_flood'],
    ['地灾', '地质灾害气象风险预警', 'geo_hazard'],
  ] as const;
  const ZH = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' } as const;
  const LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
  const rows: Array<[string, string, string, string | null, boolean]> = [];
  for (const [, event, kind] of KINDS) {
    const name = event.replace('预警信号', '').replace('气象风险预警', '').replace('气象预警', '');
    for (const [i, level] of LEVELS.entries()) {
      const c = ZH[level];
      rows.push([`临海市气象台2027年06月20日08时00分发布${name}${c}预警`, event, kind, level, false]);
      rows.push([`临海市气象台继续发布${name}${c}预警信号`, event, kind, level, false]);
      rows.push([`临海市气象台解除${name}${c}预警信号`, event, kind, level, true]);
      if (i < 3) {
        const higher = LEVELS[i + 1];
        rows.push([`临海市气象台将${name}${c}预警信号升级为${ZH[higher]}`, event, kind, higher, false]);
        rows.push([`临海市气象台将${name}${ZH[higher]}预警信号降级为${c}`, event, kind, level, false]);
        rows.push([`临海市气象台将${name}预警由${ZH[higher]}调整为${c}`, event, kind, level, false]);
      }
    }
  }
  it.each(rows)('%s → %s %s %s lifted=%s', (headline, event, kind, level, lifted) => {
    // The event text of an Update often still names the old colour: the headline's change wins.
    const staleEvent = headline.includes('降级') ? event.replace('预警', '红色预警') : event;
    expect(classify(info({ event: staleEvent, headline }), 'x')).toMatchObject({ kind, level, lifted });
  });

  it.each([
    ['…将暴雨红色预警信号降级为橙色…', 'downgrade', 'orange'],
    ['将暴雨黄色预警信号升级为红色', 'upgrade', 'red'],
    ['Rainstorm warning downgraded to yellow', 'downgrade', 'yellow'],
    ['解除暴雨橙色预警信号', 'lift', 'orange'],
    ['继续发布暴雨蓝色预警信号', 'renew', 'blue'],
    ['今天有雨', null, undefined],
  ] as const)('%s: %s %s', (headline, action, level) => {
    expect(headlineAction(headline)).toEqual({ action, level });
  });

  it('an AllClear response lifts too', () => {
    expect(classify(info({ event: '暴雨橙色预警', responseType: ['AllClear'] }), 'x').lifted).toBe(true);
  });
});

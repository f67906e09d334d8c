import type { CapInfo } from '../cap/cap.types';
import { classify } from './warning-classify';

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

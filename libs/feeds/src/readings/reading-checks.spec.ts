import { configSchema } from '@fangxun/config';
import { checkRow, parseObservedAt, StationRef } from './reading-checks';

const feeds = {
  defaultRainIntervalMinutes: 60,
  maxFutureMinutes: 10,
  quality: {
    maxRain: [
      { withinMinutes: 10, maxMm: 200 },
      { withinMinutes: 60, maxMm: 300 },
    ],
    windowLimits: [{ windowMinutes: 60, maxMm: 300 }],
    levelMinM: -50,
    levelMaxM: 3000,
    spikeMinMm: 30,
    dryNeighbourMaxMm: 2,
    neighbourRadiusKm: 10,
    minNeighbours: 2,
    unitMistakeNeighbourMinMm: 1,
  },
};
const ctx = {
  stations: new Map<string, StationRef>([
    ['R1', { id: 'r1', kind: 'rain' }],
    ['W1', { id: 'w1', kind: 'water_level' }],
  ]),
  now: new Date('2026-07-28T02:00:00Z'),
  feeds,
};

describe('reading row checks', () => {
  it('matches the feeds section of the config schema', () => {
    expect(configSchema.shape.feeds.shape.quality.safeParse(feeds.quality).success).toBe(true);
  });

  it('requires a zone on every time and reads offsets correctly', () => {
    expect(parseObservedAt('2026-07-28T10:00:00')).toBe('has no time zone: add an offset (+08:00) or Z');
    expect(parseObservedAt('2026-07-28 10:00')).toBe('has no time zone: add an offset (+08:00) or Z');
    expect(parseObservedAt('yesterday')).toBe('must be an ISO 8601 time with an offset or Z');
    expect(parseObservedAt(42)).toBe('must be an ISO 8601 time with an offset or Z');
    expect(parseObservedAt('2026-02-30T10:00:00Z')).toEqual(expect.any(Date));
    expect((parseObservedAt('2026-07-28T10:00:00+08:00') as Date).toISOString()).toBe('2026-07-28T02:00:00.000Z');
    expect((parseObservedAt('2026-07-28 10:00+0800') as Date).toISOString()).toBe('2026-07-28T02:00:00.000Z');
  });

  it('converts inches and centimetres to millimetres, and level centimetres to metres', () => {
    const at = '2026-07-28T01:00:00Z';
    expect(checkRow({ stationCode: 'R1', observedAt: at, value: 1, unit: 'in' }, 0, ctx)).toMatchObject({
      value: 25.4,
      intervalMinutes: 60,
    });
    expect(checkRow({ stationCode: 'R1', observedAt: at, value: 1.5, unit: 'cm', intervalMinutes: 10 }, 0, ctx)).toMatchObject({
      value: 15,
      intervalMinutes: 10,
    });
    expect(checkRow({ stationCode: 'W1', observedAt: at, value: 352, unit: 'cm', intervalMinutes: 10 }, 0, ctx)).toMatchObject({
      value: 3.52,
      intervalMinutes: null,
    });
    expect(checkRow({ stationCode: 'W1', observedAt: at, value: 5000 }, 3, ctx)).toEqual({
      error: { index: 3, field: 'value', problem: 'level 5000 m is outside -50..3000 m' },
    });
  });

  it('applies the tightest intensity bound covering the interval, and the future allowance', () => {
    const at = '2026-07-28T01:00:00Z';
    expect(checkRow({ stationCode: 'R1', observedAt: at, value: 199, intervalMinutes: 5 }, 0, ctx)).toMatchObject({ value: 199 });
    expect(checkRow({ stationCode: 'R1', observedAt: at, value: 201, intervalMinutes: 5 }, 0, ctx)).toHaveProperty('error.field', 'value');
    expect(checkRow({ stationCode: 'R1', observedAt: at, value: 299, intervalMinutes: 30 }, 0, ctx)).toMatchObject({ value: 299 });
    expect(checkRow({ stationCode: 'R1', observedAt: at, value: 301, intervalMinutes: 30 }, 0, ctx)).toHaveProperty('error.field', 'value');
    expect(checkRow({ stationCode: 'R1', observedAt: at, value: 1, intervalMinutes: 1.5 }, 0, ctx)).toHaveProperty(
      'error.field',
      'intervalMinutes',
    );
    expect(checkRow({ stationCode: 'R1', observedAt: '2026-07-28T02:10:00Z', value: 1 }, 0, ctx)).not.toHaveProperty('error');
    expect(checkRow({ stationCode: 'R1', observedAt: '2026-07-28T02:10:01Z', value: 1 }, 0, ctx)).toHaveProperty(
      'error.field',
      'observedAt',
    );
    expect(checkRow(null as never, 7, ctx)).toEqual({ error: { index: 7, field: '(row)', problem: 'must be an object' } });
  });
});

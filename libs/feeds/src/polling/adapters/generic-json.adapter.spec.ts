import { FeedShapeError } from './feed-adapter.types';
import { GenericJsonMapping, parseGenericJson, readPath } from './generic-json.adapter';
import { localToInstant } from './local-time';

const mapping: GenericJsonMapping = {
  itemsPath: 'data.items',
  stationField: 'stcd',
  timeField: 'tm',
  valueField: 'drp',
  unit: 'mm',
  intervalMinutes: 5,
  timeZone: 'Asia/Shanghai',
  missingValues: ['-', '-998'],
};

describe('generic JSON adapter', () => {
  it('maps configured fields; Beijing local times without offset become UTC instants 8 h earlier', () => {
    const { readings, problems } = parseGenericJson(
      {
        data: {
          items: [
            { stcd: 'LH01', tm: '2026-07-28 10:05:00', drp: '2.5' },
            { stcd: 70101, tm: '2026-07-28T10:05:00+08:00', drp: 0 },
          ],
        },
      },
      mapping,
    );
    expect(problems).toEqual([]);
    expect(readings).toEqual([
      { stationCode: 'LH01', observedAt: new Date('2026-07-28T02:05:00Z'), value: 2.5, unit: 'mm', intervalMinutes: 5 },
      { stationCode: '70101', observedAt: '2026-07-28T10:05:00+08:00', value: 0, unit: 'mm', intervalMinutes: 5 },
    ]);
  });

  it('missing markers, bad numbers and zone-less times (without a configured zone) are skipped with the field named', () => {
    const rows = [
      { stcd: 'A', tm: '2026-07-28 10:05', drp: '-' },
      { stcd: 'B', tm: '2026-07-28 10:05', drp: 'x' },
      { stcd: 'C', tm: '2026-07-28 10:05', drp: '1' },
      { tm: '2026-07-28 10:05', drp: '1' },
    ];
    const { readings, problems } = parseGenericJson({ data: { items: rows } }, { ...mapping, timeZone: undefined });
    expect(readings).toEqual([]);
    expect(problems).toEqual([
      { path: 'data.items[0].drp', problem: 'missing ("-")' },
      { path: 'data.items[1].drp', problem: 'not a number: "x"' },
      { path: 'data.items[2].tm', problem: 'has no zone and the mapping declares no timeZone' },
      { path: 'data.items[3].stcd', problem: 'missing station' },
    ]);
  });

  it('the array must be where the mapping says; a root array works with an empty path', () => {
    expect(() => parseGenericJson({ data: {} }, mapping)).toThrow(FeedShapeError);
    expect(parseGenericJson([{ stcd: 'A', tm: '2026-07-28T00:00:00Z', drp: 1 }], { ...mapping, itemsPath: '' }).readings).toHaveLength(1);
  });

  it('readPath walks objects and array indexes', () => {
    expect(readPath({ a: [{ b: 3 }] }, 'a.0.b')).toBe(3);
    expect(readPath({ a: 1 }, 'a.b')).toBeUndefined();
  });

  it('localToInstant honours the zone and refuses non-dates', () => {
    expect(localToInstant('2026-01-01T00:00', 'Asia/Shanghai')?.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(localToInstant('2026-07-01 12:00:00', 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(localToInstant('yesterday', 'Asia/Shanghai')).toBeNull();
  });
});

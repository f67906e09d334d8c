import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeedShapeError } from './feed-adapter.types';
import { parseHkoHourlyRainfall } from './hko-hourly-rainfall.adapter';

const fixture = (): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../../../../test/fixtures/feeds/hk-hko-hourly-rainfall-sample.json'), 'utf8'));

describe('HKO hourly rainfall adapter', () => {
  it('reads the recorded payload: "0" becomes 0 mm over the hour ending 08:00+08:00, "M" is skipped and reported', () => {
    const { readings, problems } = parseHkoHourlyRainfall(fixture());
    expect(readings).toEqual([
      {
        stationCode: 'RF001',
        stationName: 'Lau Fau Shan',
        observedAt: '2022-09-01T08:00:00+08:00',
        value: 0,
        unit: 'mm',
        intervalMinutes: 60,
      },
    ]);
    expect(problems).toEqual([{ path: 'hourlyRainfall[1].value', problem: 'missing ("M")' }]);
  });

  it('string decimals parse; garbage and other units are skipped with a reason', () => {
    const { readings, problems } = parseHkoHourlyRainfall({
      obsTime: '2022-09-01T09:00:00+08:00',
      hourlyRainfall: [
        { automaticWeatherStationID: 'N05', value: '12.5', unit: 'mm' },
        { automaticWeatherStationID: 'N06', value: 'trace', unit: 'mm' },
        { automaticWeatherStationID: 'N07', value: '3', unit: 'cm' },
        { value: '1' },
      ],
    });
    expect(readings.map((r) => [r.stationCode, r.value])).toEqual([['N05', 12.5]]);
    expect(problems.map((p) => p.path)).toEqual([
      'hourlyRainfall[1].value',
      'hourlyRainfall[2].unit',
      'hourlyRainfall[3].automaticWeatherStationID',
    ]);
  });

  it('a body of another shape is refused whole (nothing to store)', () => {
    expect(() => parseHkoHourlyRainfall({ obsTime: '2022-09-01 08:00', hourlyRainfall: [] })).toThrow(FeedShapeError);
    expect(() => parseHkoHourlyRainfall({ obsTime: '2022-09-01T08:00:00+08:00' })).toThrow('hourlyRainfall: must be an array');
    expect(() => parseHkoHourlyRainfall('<html>')).toThrow(FeedShapeError);
  });
});

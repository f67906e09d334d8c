import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCwbRainGauge } from './cwb-rain-gauge.adapter';
import { FeedShapeError } from './feed-adapter.types';

interface Loc {
  stationId: string;
  time: { obsTime: string };
  weatherElement: Array<{ elementName: string; elementValue: { value: string } }>;
}
interface Payload {
  cwbopendata: { location: Loc[] };
}

const fixture = (): Payload =>
  JSON.parse(
    readFileSync(join(__dirname, '../../../../../test/fixtures/feeds/tw-cwb-O-A0002-001-rain-gauge-EXCERPT.json'), 'utf8'),
  ) as Payload;

function setElement(loc: Loc, name: string, value: string): void {
  const el = loc.weatherElement.find((e) => e.elementName === name);
  if (!el) throw new Error(name);
  el.elementValue.value = value;
}

describe('Taiwan CWB O-A0002-001 adapter', () => {
  it('the recorded excerpt has -998.00 in MIN_10 at every station: no reading, four problems, and HOUR_12/HOUR_24 are not used instead', () => {
    const { readings, problems } = parseCwbRainGauge(fixture());
    expect(readings).toEqual([]);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toEqual({ path: 'cwbopendata.location[0].MIN_10', problem: 'no data (sentinel -998.00)' });
  });

  it('MIN_10 becomes one 10-minute reading ending at obsTime; the other rolling windows are ignored', () => {
    const payload = fixture();
    setElement(payload.cwbopendata.location[1], 'MIN_10', '1.50');
    setElement(payload.cwbopendata.location[1], 'RAIN', '6.00');
    setElement(payload.cwbopendata.location[1], 'HOUR_3', '14.00');
    const { readings } = parseCwbRainGauge(payload);
    expect(readings).toEqual([
      { stationCode: '466940', stationName: '基隆', observedAt: '2022-03-10T23:10:00+08:00', value: 1.5, unit: 'mm', intervalMinutes: 10 },
    ]);
  });

  it('RAIN (1 h) is used only on the hour, so hourly windows never overlap', () => {
    const payload = fixture();
    setElement(payload.cwbopendata.location[0], 'RAIN', '6.00');
    setElement(payload.cwbopendata.location[2], 'RAIN', '2.00');
    payload.cwbopendata.location[2].time.obsTime = '2022-03-10T23:00:00+08:00';
    const { readings, problems } = parseCwbRainGauge(payload, 'RAIN');
    expect(readings.map((r) => [r.stationCode, r.value, r.intervalMinutes])).toEqual([['466900', 2, 60]]);
    expect(problems.find((p) => p.path === 'cwbopendata.location[0].time.obsTime')?.problem).toMatch(/not on the hour/);
  });

  it('a payload without cwbopendata.location is refused whole', () => {
    expect(() => parseCwbRainGauge({ records: [] })).toThrow(FeedShapeError);
    expect(() => parseCwbRainGauge({ cwbopendata: { location: {} } })).toThrow('cwbopendata.location: must be an array');
  });
});

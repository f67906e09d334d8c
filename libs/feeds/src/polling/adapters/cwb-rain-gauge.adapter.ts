import { FeedParseResult, FeedProblem, FeedReading, FeedShapeError, isRecord, toNumber, ZONED_TIME } from './feed-adapter.types';

/** The rolling field that becomes readings; it must match the feed's polling cadence. */
export type CwbRollingField = 'MIN_10' | 'RAIN';

const INTERVAL: Record<CwbRollingField, number> = { MIN_10: 10, RAIN: 60 };

/**
 * Taiwan CWB automatic rain stations (dataset O-A0002-001). Each station sends rolling totals
 * ending at its obsTime — MIN_10, RAIN (1 h), HOUR_3 … HOUR_24 — as strings, with -998.00
 * (and other values ≤ -990: -991 maintenance, -999 bad) meaning "no data".
 *
 * We keep exactly ONE rolling field as an interval reading ending at obsTime: MIN_10 when the
 * feed is polled every 10 minutes (consecutive windows tile the timeline), or RAIN when polled
 * hourly, and then only at hh:00 so that hour windows do not overlap. The other windows are
 * NOT turned into readings and never summed: HOUR_3 already contains the last RAIN, which
 * contains the last MIN_10, so adding them counts the same rain several times; our own rolling
 * sums are rebuilt from the non-overlapping intervals instead.
 */
export function parseCwbRainGauge(payload: unknown, field: CwbRollingField = 'MIN_10'): FeedParseResult {
  const root = isRecord(payload) ? payload.cwbopendata : undefined;
  if (!isRecord(root)) throw new FeedShapeError('cwbopendata', 'must be an object');
  if (!Array.isArray(root.location)) throw new FeedShapeError('cwbopendata.location', 'must be an array');
  const readings: FeedReading[] = [];
  const problems: FeedProblem[] = [];
  root.location.forEach((loc: unknown, i) => {
    const path = `cwbopendata.location[${i}]`;
    if (!isRecord(loc) || typeof loc.stationId !== 'string' || loc.stationId === '') {
      problems.push({ path: `${path}.stationId`, problem: 'missing station id' });
      return;
    }
    const obsTime = isRecord(loc.time) ? loc.time.obsTime : undefined;
    if (typeof obsTime !== 'string' || !ZONED_TIME.test(obsTime)) {
      problems.push({ path: `${path}.time.obsTime`, problem: 'missing or without a zone' });
      return;
    }
    if (field === 'RAIN' && new Date(obsTime).getUTCMinutes() !== 0) {
      problems.push({ path: `${path}.time.obsTime`, problem: 'not on the hour: RAIN windows would overlap' });
      return;
    }
    const elements = Array.isArray(loc.weatherElement) ? loc.weatherElement : [];
    const element: unknown = elements.find((e: unknown) => isRecord(e) && e.elementName === field);
    const raw = isRecord(element) && isRecord(element.elementValue) ? element.elementValue.value : undefined;
    const value = toNumber(raw);
    if (value === null) {
      problems.push({ path: `${path}.${field}`, problem: raw === undefined ? 'missing' : `not a number: ${JSON.stringify(raw)}` });
      return;
    }
    if (value <= -990) {
      problems.push({ path: `${path}.${field}`, problem: `no data (sentinel ${String(raw)})` });
      return;
    }
    readings.push({
      stationCode: loc.stationId,
      stationName: typeof loc.locationName === 'string' ? loc.locationName : undefined,
      observedAt: obsTime,
      value,
      unit: 'mm',
      intervalMinutes: INTERVAL[field],
    });
  });
  return { readings, problems };
}

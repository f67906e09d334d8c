import { FeedParseResult, FeedProblem, FeedReading, FeedShapeError, isRecord, toNumber, ZONED_TIME } from './feed-adapter.types';

/**
 * Hong Kong Observatory "hourly rainfall" open data (`dataType=hourlyRainfall`): one obsTime
 * (+08:00) for the whole payload and, per automatic station, the rain of the hour ending then,
 * as a string. "M" means the gauge did not report: the row is skipped and reported, never read
 * as 0 mm (a dry reading would hide a broken gauge during a storm).
 */
export function parseHkoHourlyRainfall(payload: unknown): FeedParseResult {
  if (!isRecord(payload)) throw new FeedShapeError('$', 'must be a JSON object');
  const obsTime = payload.obsTime;
  if (typeof obsTime !== 'string' || !ZONED_TIME.test(obsTime)) {
    throw new FeedShapeError('obsTime', 'must be an ISO time with a zone');
  }
  const rows = payload.hourlyRainfall;
  if (!Array.isArray(rows)) throw new FeedShapeError('hourlyRainfall', 'must be an array');
  const readings: FeedReading[] = [];
  const problems: FeedProblem[] = [];
  rows.forEach((row: unknown, i) => {
    const path = `hourlyRainfall[${i}]`;
    if (!isRecord(row) || typeof row.automaticWeatherStationID !== 'string' || row.automaticWeatherStationID === '') {
      problems.push({ path: `${path}.automaticWeatherStationID`, problem: 'missing station id' });
      return;
    }
    if (row.value === 'M') {
      problems.push({ path: `${path}.value`, problem: 'missing ("M")' });
      return;
    }
    const value = toNumber(row.value);
    if (value === null) {
      problems.push({ path: `${path}.value`, problem: `not a number: ${JSON.stringify(row.value)}` });
      return;
    }
    if (row.unit !== undefined && row.unit !== 'mm') {
      problems.push({ path: `${path}.unit`, problem: `unexpected unit ${JSON.stringify(row.unit)}` });
      return;
    }
    readings.push({
      stationCode: row.automaticWeatherStationID,
      stationName: typeof row.automaticWeatherStation === 'string' ? row.automaticWeatherStation : undefined,
      observedAt: obsTime,
      value,
      unit: 'mm',
      intervalMinutes: 60,
    });
  });
  return { readings, problems };
}

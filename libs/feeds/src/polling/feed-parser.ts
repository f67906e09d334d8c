import type { PolledFeedConfig } from '@fangxun/config';
import type { RawReading } from '../readings/reading.types';
import { parseCwbRainGauge } from './adapters/cwb-rain-gauge.adapter';
import type { FeedParseResult } from './adapters/feed-adapter.types';
import { parseGenericJson } from './adapters/generic-json.adapter';
import { parseHkoHourlyRainfall } from './adapters/hko-hourly-rainfall.adapter';

/** Runs the feed's adapter on one payload (throws FeedShapeError when the body is not its shape). */
export function parseFeedPayload(feed: PolledFeedConfig, payload: unknown): FeedParseResult {
  switch (feed.adapter) {
    case 'hko-hourly-rainfall':
      return parseHkoHourlyRainfall(payload);
    case 'cwb-rain-gauge':
      return parseCwbRainGauge(payload, feed.rollingField);
    case 'generic-json':
      return parseGenericJson(payload, feed.mapping);
  }
}

/**
 * The feed's station ids become ours: an explicit map entry (by id, then by the feed's station
 * name) wins, else the configured prefix. Unknown codes are refused by ingest, per row.
 */
export function toRawReadings(feed: PolledFeedConfig, parsed: FeedParseResult): RawReading[] {
  return parsed.readings.map(({ stationName, ...r }) => ({
    ...r,
    stationCode:
      feed.stationMap[r.stationCode] ?? (stationName ? feed.stationMap[stationName] : undefined) ?? `${feed.stationPrefix}${r.stationCode}`,
  }));
}

import { FeedParseResult, FeedProblem, FeedReading, FeedShapeError, isRecord, toNumber, ZONED_TIME } from './feed-adapter.types';
import { localToInstant } from './local-time';

/** How to read "any other gauge network" from JSON (config `feeds.polled[].mapping`). */
export interface GenericJsonMapping {
  /** Dotted path to the array of rows ("data.items"); empty = the payload is the array. */
  itemsPath: string;
  stationField: string;
  timeField: string;
  valueField: string;
  unit: 'mm' | 'm' | 'cm' | 'in';
  intervalMinutes?: number;
  /** Zone of times sent without an offset (e.g. Asia/Shanghai); without it they are skipped. */
  timeZone?: string;
  /** Values meaning "no data" ("M", "-998"), compared as text. */
  missingValues: string[];
}

/** Reads `a.b.0.c` from nested objects/arrays; undefined when any step is missing. */
export function readPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let node: unknown = value;
  for (const key of path.split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
    else if (isRecord(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function readTime(raw: unknown, timeZone: string | undefined): { at: string | Date } | { problem: string } {
  if (typeof raw !== 'string') return { problem: 'not a string' };
  if (ZONED_TIME.test(raw)) return { at: raw };
  if (!timeZone) return { problem: 'has no zone and the mapping declares no timeZone' };
  const at = localToInstant(raw, timeZone);
  return at ? { at } : { problem: 'not an ISO date-time' };
}

/** Maps one JSON payload to readings by the configured field names; bad rows are reported. */
export function parseGenericJson(payload: unknown, mapping: GenericJsonMapping): FeedParseResult {
  const items = readPath(payload, mapping.itemsPath);
  if (!Array.isArray(items)) throw new FeedShapeError(mapping.itemsPath || '$', 'must be an array');
  const readings: FeedReading[] = [];
  const problems: FeedProblem[] = [];
  const missing = new Set(mapping.missingValues);
  items.forEach((item: unknown, i) => {
    const path = `${mapping.itemsPath || '$'}[${i}]`;
    const station = readPath(item, mapping.stationField);
    if ((typeof station !== 'string' && typeof station !== 'number') || String(station).trim() === '') {
      problems.push({ path: `${path}.${mapping.stationField}`, problem: 'missing station' });
      return;
    }
    const rawValue = readPath(item, mapping.valueField);
    if (rawValue === null || rawValue === undefined || missing.has(String(rawValue).trim())) {
      problems.push({ path: `${path}.${mapping.valueField}`, problem: `missing (${JSON.stringify(rawValue ?? null)})` });
      return;
    }
    const value = toNumber(rawValue);
    if (value === null) {
      problems.push({ path: `${path}.${mapping.valueField}`, problem: `not a number: ${JSON.stringify(rawValue)}` });
      return;
    }
    const time = readTime(readPath(item, mapping.timeField), mapping.timeZone);
    if ('problem' in time) {
      problems.push({ path: `${path}.${mapping.timeField}`, problem: time.problem });
      return;
    }
    const reading: FeedReading = { stationCode: String(station).trim(), observedAt: time.at, value, unit: mapping.unit };
    if (mapping.intervalMinutes !== undefined) reading.intervalMinutes = mapping.intervalMinutes;
    readings.push(reading);
  });
  return { readings, problems };
}

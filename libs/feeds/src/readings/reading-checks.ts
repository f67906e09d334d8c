import type { AppConfig } from '@fangxun/config';
import type { IngestError, RawReading, ReadingQuality } from './reading.types';

export type StationKind = 'rain' | 'water_level' | 'reservoir_level';

/** What a row check needs to know about its station. */
export interface StationRef {
  id: string;
  kind: StationKind;
}

/** A row that passed every per-row check, in stored units (rain mm, levels m). */
export interface CheckedReading {
  index: number;
  stationId: string;
  kind: StationKind;
  observedAt: Date;
  value: number;
  intervalMinutes: number | null;
  quality: ReadingQuality;
  qualityReason: string | null;
}

export interface CheckContext {
  stations: Map<string, StationRef>;
  now: Date;
  feeds: Pick<AppConfig['feeds'], 'maxFutureMinutes' | 'defaultRainIntervalMinutes' | 'quality'>;
}

/**
 * ISO 8601 with a zone. "2026-07-28T10:00:00" is refused: a gauge in Linhai may mean
 * Beijing time, a server may mean UTC, and eight hours of rain in the wrong place is worse
 * than a rejected row.
 */
const ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

const RAIN_TO_MM: Record<string, number> = { mm: 1, cm: 10, in: 25.4 };
const LEVEL_TO_M: Record<string, number> = { m: 1, cm: 0.01, mm: 0.001, in: 0.0254 };

function fail(index: number, field: string, problem: string): { error: IngestError } {
  return { error: { index, field, problem } };
}

export function parseObservedAt(v: unknown): Date | string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'is not a valid time' : v;
  if (typeof v !== 'string') return 'must be an ISO 8601 time with an offset or Z';
  const s = v.trim();
  if (!ZONED.test(s)) {
    return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)
      ? 'has no time zone: add an offset (+08:00) or Z'
      : 'must be an ISO 8601 time with an offset or Z';
  }
  const d = new Date(s.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? 'is not a valid time' : d;
}

/** The largest believable amount for an interval: the tightest configured bound that covers it. */
function maxRainMm(intervalMinutes: number, limits: AppConfig['feeds']['quality']['maxRain']): number | undefined {
  const covering = limits.filter((l) => l.withinMinutes >= intervalMinutes).sort((a, b) => a.withinMinutes - b.withinMinutes);
  return covering[0]?.maxMm;
}

/** Per-row checks that need no other reading. Neighbour checks (spike, unit) run in SQL later. */
export function checkRow(raw: RawReading, index: number, ctx: CheckContext): CheckedReading | { error: IngestError } {
  if (raw === null || typeof raw !== 'object') return fail(index, '(row)', 'must be an object');
  if (typeof raw.stationCode !== 'string' || !raw.stationCode.trim()) return fail(index, 'stationCode', 'is required');
  const station = ctx.stations.get(raw.stationCode.trim());
  if (!station) return fail(index, 'stationCode', `unknown station ${raw.stationCode.trim().slice(0, 40)}`);
  const at = parseObservedAt(raw.observedAt);
  if (typeof at === 'string') return fail(index, 'observedAt', at);
  if (at.getTime() > ctx.now.getTime() + ctx.feeds.maxFutureMinutes * 60_000) {
    return fail(index, 'observedAt', `is more than ${ctx.feeds.maxFutureMinutes} minutes in the future`);
  }
  if (typeof raw.value !== 'number' || !Number.isFinite(raw.value)) return fail(index, 'value', 'must be a finite number');
  if (station.kind === 'rain') return checkRain(raw, index, station, at, ctx);
  return checkLevel(raw, index, station, at, ctx);
}

function checkRain(raw: RawReading, index: number, station: StationRef, at: Date, ctx: CheckContext) {
  const unit = raw.unit ?? 'mm';
  const factor = RAIN_TO_MM[unit];
  if (factor === undefined) return fail(index, 'unit', `rain is measured in mm, cm or in, not ${String(unit).slice(0, 10)}`);
  const interval = raw.intervalMinutes ?? ctx.feeds.defaultRainIntervalMinutes;
  if (!Number.isInteger(interval) || interval < 1 || interval > 1440) {
    return fail(index, 'intervalMinutes', 'must be a whole number of minutes from 1 to 1440');
  }
  const mm = raw.value * factor;
  if (mm < 0) return fail(index, 'value', 'rain cannot be negative');
  const max = maxRainMm(interval, ctx.feeds.quality.maxRain);
  if (max !== undefined && mm > max) {
    return fail(index, 'value', `${round(mm)} mm in ${interval} min is impossible (limit ${max} mm)`);
  }
  return ok(index, station, at, round(mm), interval);
}

function checkLevel(raw: RawReading, index: number, station: StationRef, at: Date, ctx: CheckContext) {
  const unit = raw.unit ?? 'm';
  const factor = LEVEL_TO_M[unit];
  if (factor === undefined) return fail(index, 'unit', `levels are measured in m, cm, mm or in, not ${String(unit).slice(0, 10)}`);
  const m = raw.value * factor;
  const { levelMinM, levelMaxM } = ctx.feeds.quality;
  if (m < levelMinM || m > levelMaxM) return fail(index, 'value', `level ${round(m)} m is outside ${levelMinM}..${levelMaxM} m`);
  return ok(index, station, at, round(m), null);
}

function ok(index: number, station: StationRef, at: Date, value: number, interval: number | null): CheckedReading {
  return {
    index,
    stationId: station.id,
    kind: station.kind,
    observedAt: at,
    value,
    intervalMinutes: interval,
    quality: 'ok',
    qualityReason: null,
  };
}

/** Unit conversions leave float dust (0.1 in = 2.5400000000000005 mm); gauges resolve 0.01 at best. */
function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

import type { RawReading } from '../../readings/reading.types';

/** A reading as a feed names it: the feed's own station id (and name, when it sends one). */
export interface FeedReading extends RawReading {
  /** Station name as the feed spells it ("Lau Fau Shan"); lets config map by name. */
  stationName?: string;
}

/** One row the adapter skipped, and why ("M" = missing, -998 = no data, bad number…). */
export interface FeedProblem {
  /** Where in the payload, e.g. `hourlyRainfall[3].value`. */
  path: string;
  problem: string;
}

/** What an adapter makes of one payload: readings, plus the rows it skipped. */
export interface FeedParseResult {
  readings: FeedReading[];
  problems: FeedProblem[];
}

/**
 * The payload as a whole is not what the feed promised (wrong shape, not JSON): the poll
 * fails and nothing from it is stored, unlike a skipped row, which is only reported.
 */
export class FeedShapeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'FeedShapeError';
  }
}

/** ISO 8601 date-time that carries its own zone (Z or ±hh:mm). */
export const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Numbers arrive as strings ("12.5") in most open-data feeds; anything else is not a number. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : null;
}

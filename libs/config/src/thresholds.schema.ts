import { z } from 'zod';

/**
 * Thresholds that act (`feeds.thresholds`): the rainstorm signal criteria, how flash-flood
 * zones read their gauges, and the hysteresis that keeps a number wobbling at the line from
 * raising and lifting every minute. Checked at boot like every key.
 */
const LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
const WINDOWS = [1, 3, 6, 12, 24] as const;

const signal = z.object({
  level: z.enum(LEVELS),
  windowHours: z
    .number()
    .int()
    .refine((h) => (WINDOWS as readonly number[]).includes(h), 'must be 1, 3, 6, 12 or 24'),
  mm: z.number().positive().max(2000),
});

export const thresholdsSchema = z.object({
  /** How often the worker evaluates every subject (seconds); sums decay with time, so it runs even without new readings. */
  evaluateSeconds: z.number().int().min(10).max(3600),
  /**
   * After an ingest that wrote rain for the last 24 h, the touched subjects are evaluated this
   * many ms later in the process that ingested (a burst of pushes in that time coalesces into
   * one evaluation); 0 leaves it to the tick alone.
   */
  evaluateAfterIngestMs: z.number().int().min(0).max(600_000),
  /** A level is lifted only once its sum is below threshold × lowerRatio ... */
  lowerRatio: z.number().gt(0).max(1),
  /** ... and has stayed there this long (minutes). An upgrade is immediate. */
  holdMinutes: z.number().int().min(0).max(1440),
  rainstorm: z.object({
    /** Where the numbers come from (cited in every warning we raise). */
    source: z.string().min(3).max(300),
    /** One signal per colour, observed sums (mm) over a window. */
    signals: z
      .array(signal)
      .min(1)
      .max(4)
      .refine((s) => new Set(s.map((x) => x.level)).size === s.length, 'each level at most once'),
  }),
  flashFlood: z.object({
    /** The active rain gauges within this distance of the zone speak for it ... */
    radiusKm: z.number().positive().max(50),
    /** ... the nearest this many of them ... */
    maxStations: z.number().int().min(1).max(20),
    /** ... combined per window by their maximum or their arithmetic mean. */
    aggregate: z.enum(['max', 'mean']),
  }),
});

export type ThresholdsConfig = z.infer<typeof thresholdsSchema>;

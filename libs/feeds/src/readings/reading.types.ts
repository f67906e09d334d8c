/**
 * The one shape every source (push, polled feed adapters, CSV back-fill) hands to
 * `ReadingIngestService.ingest`. Adapters parse at the edge; this is what they parse into.
 */
export interface RawReading {
  stationCode: string;
  /** ISO 8601 with an offset or Z ("2026-07-28T10:00:00+08:00"); a zone-less time is rejected. */
  observedAt: string | Date;
  /** Rain: amount accumulated in the interval ending at observedAt; levels: height. */
  value: number;
  /** Defaults to mm for rain stations and m for level stations; cm and in are converted. */
  unit?: 'mm' | 'm' | 'cm' | 'in';
  /** Rain only: length of the interval the amount covers (default from config). */
  intervalMinutes?: number;
}

/** One refused row: its index in the batch, the field at fault and why. */
export interface IngestError {
  index: number;
  field: string;
  problem: string;
}

/**
 * Per-batch outcome. accepted = inserted + corrected + unchanged; flagged counts accepted
 * rows stored with quality `suspect` (they are kept and shown, callers may exclude them).
 */
export interface IngestReport {
  accepted: number;
  inserted: number;
  corrected: number;
  unchanged: number;
  rejected: number;
  flagged: number;
  errors: IngestError[];
}

export type ReadingQuality = 'ok' | 'suspect';

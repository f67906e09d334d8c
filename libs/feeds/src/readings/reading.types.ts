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
 * A reading stored before this ingest, `ok` until it, that the ingest turned `suspect` (a
 * neighbour's report showed it a spike, a correction made it implausible, a window it shares
 * went over its limit). Any warning it helped raise is re-judged at once without the hold.
 */
export interface ReflaggedReading {
  stationCode: string;
  observedAt: string;
  value: number;
  intervalMinutes: number | null;
  reason: string;
}

/**
 * Per-batch outcome. accepted = inserted + corrected + unchanged; flagged counts accepted
 * rows stored with quality `suspect` (they are kept and shown, callers may exclude them);
 * reflagged lists earlier readings this batch turned suspect.
 */
export interface IngestReport {
  accepted: number;
  inserted: number;
  corrected: number;
  unchanged: number;
  rejected: number;
  flagged: number;
  reflagged: ReflaggedReading[];
  errors: IngestError[];
}

export type ReadingQuality = 'ok' | 'suspect';

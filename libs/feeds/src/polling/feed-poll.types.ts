import type { IngestReport } from '../readings/reading.types';
import type { FeedProblem } from './adapters/feed-adapter.types';

/** What one poll of one feed did; also stored as the cursor's last_report. */
export interface PollOutcome {
  feed: string;
  status: 'ok' | 'failed' | 'busy';
  trigger: 'schedule' | 'manual';
  /** HTTP requests made (one per back-fill window), and attempts including retries. */
  requests: number;
  attempts: number;
  /** Rows handed to ingest and what ingest made of them (summed over windows). */
  handed: number;
  report: IngestReport;
  /** Payload rows the adapter skipped ("M", -998…): counted, first few kept. */
  skipped: number;
  skippedSamples: FeedProblem[];
  error: string | null;
  observedUpTo: string | null;
}

export function emptyReport(): IngestReport {
  return { accepted: 0, inserted: 0, corrected: 0, unchanged: 0, rejected: 0, flagged: 0, reflagged: [], errors: [] };
}

/** Adds b into a (errors capped: the cursor keeps a summary, not every refused row). */
export function addReport(a: IngestReport, b: IngestReport, offset: number): IngestReport {
  return {
    accepted: a.accepted + b.accepted,
    inserted: a.inserted + b.inserted,
    corrected: a.corrected + b.corrected,
    unchanged: a.unchanged + b.unchanged,
    rejected: a.rejected + b.rejected,
    flagged: a.flagged + b.flagged,
    reflagged: [...a.reflagged, ...b.reflagged].slice(0, 50),
    errors: [...a.errors, ...b.errors.map((e) => ({ ...e, index: e.index + offset }))].slice(0, 50),
  };
}

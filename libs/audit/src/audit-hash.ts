import { createHash } from 'node:crypto';

/** prev_hash of the first row: the chain starts from 64 zeros (audit_head's initial hash). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and no whitespace, so the same row always
 * hashes the same whatever order jsonb hands its keys back in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The fields of an audit row that its hash covers (everything but the hash itself). */
export interface HashedRow {
  seq: string;
  /** ISO-8601 UTC with microseconds, as PostgreSQL stores timestamptz (see AT_SQL). */
  at: string;
  actorKind: string;
  actorId: string;
  actorName: string;
  role: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  correlationId: string | null;
  incidentId: string | null;
  prevHash: string;
}

/** sha256 (hex) over the canonical JSON of the row, prev_hash included. */
export function rowHash(row: HashedRow): string {
  return createHash('sha256').update(canonicalJson(row)).digest('hex');
}

/** `at` as the writer hashes it: JS dates carry milliseconds, PostgreSQL microseconds. */
export function isoMicros(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Reads `at` back exactly as stored (microseconds, UTC), so a µs-level edit still changes the hash. */
export const AT_SQL = `to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

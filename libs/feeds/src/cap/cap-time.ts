import { capInvalid } from './cap.errors';

/** CAP dateTime: seconds and an explicit zone; we also take `Z` and fractions on input. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses a CAP time to an ISO UTC string; a time without a zone is ambiguous and refused. */
export function parseCapTime(value: string, field: string): string {
  const m = DATE_TIME.exec(value.trim());
  if (!m) throw capInvalid(field, 'must be a date-time like 2026-06-20T08:00:00+08:00');
  if (!m[8]) throw capInvalid(field, 'must carry a time zone (e.g. +08:00)');
  const t = new Date(value.trim());
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (Number.isNaN(t.getTime()) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || y < 1900) {
    throw capInvalid(field, 'is not a real date-time');
  }
  return t.toISOString();
}

const BEIJING_MS = 8 * 3600 * 1000;

/** Formats an instant as CAP wants it: no fractions, explicit offset; we write Beijing time. */
export function formatCapTime(iso: string): string {
  const local = new Date(new Date(iso).getTime() + BEIJING_MS).toISOString();
  return `${local.slice(0, 19)}+08:00`;
}

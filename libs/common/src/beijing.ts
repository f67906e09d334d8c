/**
 * China keeps UTC+8 all year (no daylight saving since 1991), so Beijing wall-clock time is a
 * fixed offset: no time-zone database needed. Duty rosters, SMS daily caps, provider date
 * fields and the times people read in messages all use it.
 */
const BEIJING_MS = 8 * 3600_000;

/** The Beijing calendar day, YYYY-MM-DD. */
export function beijingDate(d: Date): string {
  return new Date(d.getTime() + BEIJING_MS).toISOString().slice(0, 10);
}

/** Beijing wall-clock time, HH:mm (as people read it in an SMS). */
export function beijingClock(d: Date): string {
  return new Date(d.getTime() + BEIJING_MS).toISOString().slice(11, 16);
}

/** A UUID in its text form (ids arriving from outside are checked with it before a query). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

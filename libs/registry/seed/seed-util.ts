import type { HolderKey } from './linhai-plan.model';

/** Small helpers of the seed plan. */
export function holderKey(h: HolderKey): HolderKey {
  return { divisionCode: h.divisionCode, role: h.role, mobile: h.mobile };
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(t.getTime())) throw new Error(`rosterFrom must be YYYY-MM-DD, got ${date}`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Days since 1970-01-01. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

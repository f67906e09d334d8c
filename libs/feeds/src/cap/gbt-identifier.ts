import { capInvalid } from './cap.errors';

/**
 * GB/T 35965.1 (national early-warning message, a CAP profile) identifier:
 * `ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N` — 6-digit admin code of the issuing area, 3-digit sector,
 * 3-character issuing unit, 2-character extension, the issue time in Beijing time, a serial.
 */
export interface GbtIdentifier {
  adminCode: string;
  sector: string;
  unit: string;
  ext: string;
  /** Issue time, ISO UTC (the identifier carries Beijing time, UTC+8, without a zone). */
  issuedAt: string;
  serial: number;
}

const STRICT = /^(\d{6})(\d{3})([0-9A-Za-z]{3})([0-9A-Za-z]{2})_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_(\d{1,8})$/;
/** Looks like it means to be one: six digits, then `…_<digits>_<digits>`. */
const LOOKS_LIKE = /^\d{6}[0-9A-Za-z]*_\d+_\d+$/;

/** Parses the identifier when it follows (or tries to follow) the profile; undefined when not. */
export function parseGbtIdentifier(identifier: string): GbtIdentifier | undefined {
  if (!LOOKS_LIKE.test(identifier)) return undefined;
  const m = STRICT.exec(identifier);
  if (!m) throw capInvalid('identifier', 'GB/T 35965.1 identifier must be ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N');
  const [y, mo, d, h, mi, s] = m.slice(5, 11).map(Number);
  const utc = Date.UTC(y, mo - 1, d, h - 8, mi, s);
  const back = new Date(utc + 8 * 3600 * 1000);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw capInvalid('identifier', `GB/T 35965.1 identifier holds an impossible time ${m.slice(5, 11).join('')}`);
  }
  return { adminCode: m[1], sector: m[2], unit: m[3], ext: m[4], issuedAt: new Date(utc).toISOString(), serial: Number(m[11]) };
}

/** Builds an identifier for a warning we issue ourselves (sector 000, unit FXH = the HQ). */
export function buildGbtIdentifier(adminCode: string, at: Date, serial: number): string {
  const bj = new Date(at.getTime() + 8 * 3600 * 1000).toISOString();
  const stamp = bj.slice(0, 19).replace(/[-T:]/g, '');
  return `${adminCode.slice(0, 6)}000FXH00_${stamp}_${serial}`;
}

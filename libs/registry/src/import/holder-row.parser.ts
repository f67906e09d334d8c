import { ROLE_NAMES_ZH } from '../divisions/division-rules';
import { HOLDER_ROLES, HolderRole } from '../holders/holder-role';
import { isChineseMobile, normalisePhone } from '../holders/phone';
import type { ImportField } from './import-columns';

/** One problem with one row, as the import report lists it. */
export interface ImportRowError {
  line: number;
  field: ImportField;
  value?: string;
  problem: string;
}

/** A row that parsed cleanly: every value in the form the registry stores. */
export interface HolderCandidate {
  name: string;
  role: HolderRole;
  divisionCode: string;
  mobile: string;
  otherPhones: string[];
  superiorMobile: string | null;
  backupMobile: string | null;
  appointedYear: number | null;
  active: boolean;
}

/** The appointment key (division, role, mobile), as far as it parsed: duplicates and references need it even on a bad row. */
export interface ParsedRow {
  line: number;
  key?: { divisionCode: string; role: HolderRole; mobile: string };
  candidate?: HolderCandidate;
  errors: ImportRowError[];
}

const CODE = /^[0-9A-Za-z_]{2,24}$/;
const MAX_OTHER_PHONES = 4;
const MAX_ECHO = 64;
/** "3.31082E+11": what Excel shows, and saves to CSV, for a long number in a column not formatted as text. */
const SCIENTIFIC = /^\d(\.\d+)?e\+\d+$/i;
const EXCEL_SHORTENED = 'Excel shortened this number (scientific notation): format the column as text and enter it again';
const ROLE_BY_NAME = new Map<string, HolderRole>([
  ...HOLDER_ROLES.map((r) => [r, r] as const),
  ...(Object.entries(ROLE_NAMES_ZH) as Array<[HolderRole, string[]]>).flatMap(([role, names]) => names.map((n) => [n, role] as const)),
]);
const YES = new Set(['是', 'true', '1', 'yes', 'y', '在岗', '√']);
const NO = new Set(['否', 'false', '0', 'no', 'n', '不在岗', '离岗', '×']);

export function parseRole(raw: string): HolderRole | undefined {
  const text = raw.normalize('NFKC').replace(/\s/g, '');
  return ROLE_BY_NAME.get(text.toLowerCase()) ?? ROLE_BY_NAME.get(text);
}

/** Splits "0576-85123456；13912345678/ 85123456" on the separators offices use between numbers. */
export function splitPhones(raw: string): string[] {
  return raw
    .split(/[;；,，/、|]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * One data row → the values the registry stores, or every problem with it. Values go through
 * the same normalisation as single writes (`normalisePhone`, `isChineseMobile`); the rules that
 * need the database (divisions, superiors, scope) are applied later, to all rows at once.
 */
export function parseHolderRow(line: number, cells: string[], columns: Map<ImportField, number>): ParsedRow {
  const errors: ImportRowError[] = [];
  const cell = (f: ImportField) => {
    const i = columns.get(f);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const fail = (field: ImportField, problem: string, value = cell(field)) => {
    errors.push({ line, field, problem, ...(value ? { value: value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value } : {}) });
    return undefined;
  };

  const name = textValue(cell('name'), 50, (p) => fail('name', p));
  const roleText = cell('role');
  const role = !roleText
    ? fail('role', 'required')
    : (parseRole(roleText) ?? fail('role', `unknown role: use a code such as flash_flood_warner or a name such as 山洪预警员`));
  const divisionCode = cell('divisionCode');
  if (!divisionCode) fail('divisionCode', 'required');
  else if (SCIENTIFIC.test(divisionCode)) fail('divisionCode', EXCEL_SHORTENED);
  else if (!CODE.test(divisionCode)) fail('divisionCode', 'must be a division code (letters, digits, _; 2-24)');
  const mobile = mobileValue(cell('mobile'), true, (p) => fail('mobile', p));
  const superiorMobile = mobileValue(cell('superiorMobile'), false, (p) => fail('superiorMobile', p));
  const backupMobile = mobileValue(cell('backupMobile'), false, (p) => fail('backupMobile', p));
  const otherPhones = otherPhonesValue(cell('otherPhones'), (p, v) => fail('otherPhones', p, v));
  const appointedYear = yearValue(cell('appointedYear'), (p) => fail('appointedYear', p));
  const active = activeValue(cell('active'), (p) => fail('active', p));

  const key = role && mobile && divisionCode && CODE.test(divisionCode) ? { divisionCode, role, mobile } : undefined;
  if (errors.length || !key || name === undefined || otherPhones === undefined || appointedYear === undefined || active === undefined) {
    return { line, key, errors };
  }
  return {
    line,
    key,
    candidate: {
      ...key,
      name,
      otherPhones,
      superiorMobile: superiorMobile ?? null,
      backupMobile: backupMobile ?? null,
      appointedYear,
      active,
    },
    errors,
  };
}

function textValue(raw: string, max: number, fail: (p: string) => undefined): string | undefined {
  if (!raw) return fail('required');
  if (raw.length > max) return fail(`longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(raw) || !raw.isWellFormed()) return fail('contains control characters');
  return raw;
}

/** A Chinese mobile in E.164, or undefined (with `fail` called when the cell had something wrong in it). */
function mobileValue(raw: string, required: boolean, fail: (p: string) => undefined): string | undefined {
  if (!raw) return required ? fail('required') : undefined;
  if (SCIENTIFIC.test(raw)) return fail(EXCEL_SHORTENED);
  const e164 = normalisePhone(raw);
  if (!e164 || !isChineseMobile(e164)) return fail('not a Chinese mobile number (11 digits starting 1, +86 optional)');
  return e164;
}

function otherPhonesValue(raw: string, fail: (p: string, value: string) => undefined): string[] | undefined {
  const parts = splitPhones(raw);
  const out: string[] = [];
  let ok = true;
  for (const part of parts) {
    const e164 = normalisePhone(part);
    if (!e164) {
      fail('not a phone number', part);
      ok = false;
    } else if (!out.includes(e164)) out.push(e164);
  }
  if (out.length > MAX_OTHER_PHONES) return fail(`at most ${MAX_OTHER_PHONES} other numbers`, raw);
  return ok ? out : undefined;
}

function yearValue(raw: string, fail: (p: string) => undefined): number | null | undefined {
  if (!raw) return null;
  const m = /^(\d{4})(?:\.0+)?\s*(?:年度?)?$/.exec(raw);
  const year = m ? Number(m[1]) : NaN;
  if (!(year >= 2000 && year <= 2100)) return fail('must be a year from 2000 to 2100, e.g. 2025');
  return year;
}

function activeValue(raw: string, fail: (p: string) => undefined): boolean | undefined {
  if (!raw) return true;
  const v = raw.normalize('NFKC').trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return fail('must be 是/否 (or true/false, 1/0)');
}

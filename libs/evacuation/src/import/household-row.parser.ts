import type { VulnerableCategory } from '@fangxun/geo';
import { normalisePhone } from '@fangxun/registry';
import type { HouseholdField } from './household-columns';

export interface HouseholdRowError {
  line: number;
  field: HouseholdField;
  value?: string;
  problem: string;
}

/** A vulnerable member as parsed: the helper's holder id is resolved later, by his phone. */
export interface ParsedVulnerable {
  name: string;
  category: VulnerableCategory;
  needs: string | null;
  helperName: string;
  helperPhone: string;
}

/** A row that parsed cleanly; references (risk object, holder, shelter) still to resolve. */
export interface HouseholdCandidate {
  code: string;
  riskObjectCode: string;
  headName: string;
  headPhone: string;
  members: number;
  responsibleMobile: string | null;
  shelterCode: string | null;
  routeNote: string | null;
  address: string | null;
  vulnerable: ParsedVulnerable[];
}

export interface ParsedHousehold {
  line: number;
  code?: string;
  candidate?: HouseholdCandidate;
  errors: HouseholdRowError[];
}

const CODE = /^[0-9A-Za-z_-]{2,40}$/;
const MAX_MEMBERS = 500;
const MAX_VULNERABLE = 50;
const CATEGORY: Record<string, VulnerableCategory> = {
  elderly: 'elderly',
  老人: 'elderly',
  老年人: 'elderly',
  独居老人: 'elderly',
  disabled: 'disabled',
  残疾: 'disabled',
  残疾人: 'disabled',
  child: 'child',
  儿童: 'child',
  留守儿童: 'child',
  pregnant: 'pregnant',
  孕妇: 'pregnant',
  ill: 'ill',
  病人: 'ill',
  患病: 'ill',
  重病: 'ill',
  other: 'other',
  其他: 'other',
};

const clip = (s: string) => (s.length > 64 ? `${s.slice(0, 61)}...` : s);

/**
 * One data row → a candidate, or the problems of each bad cell. `vulnerable` holds entries
 * separated by ";" (or "；"), each "name/category/helper/helper phone[/needs]", e.g.
 * "王阿婆/老人/王建国/13900001234/需搀扶；李小宝/儿童/李芳/13900005678".
 */
export function parseHouseholdRow(line: number, cells: string[], columns: Map<HouseholdField, number>): ParsedHousehold {
  const errors: HouseholdRowError[] = [];
  const cell = (f: HouseholdField) => {
    const i = columns.get(f);
    return i === undefined ? '' : (cells[i] ?? '').normalize('NFKC').trim();
  };
  const bad = (field: HouseholdField, problem: string, value?: string) =>
    errors.push({ line, field, ...(value ? { value: clip(value) } : {}), problem });
  const text = (field: HouseholdField, max: number, required: boolean): string | null => {
    const v = cell(field);
    if (!v) {
      if (required) bad(field, 'required');
      return null;
    }
    if (v.length > max) bad(field, `longer than ${max} characters`, v);
    return v;
  };

  const code = cell('code');
  if (!code) bad('code', 'required');
  else if (!CODE.test(code)) bad('code', 'letters, digits, "-" and "_", 2 to 40', code);
  const riskObjectCode = cell('riskObjectCode');
  if (!riskObjectCode) bad('riskObjectCode', 'required');
  else if (!CODE.test(riskObjectCode)) bad('riskObjectCode', 'not a risk object code', riskObjectCode);
  const headName = text('headName', 50, true);
  const headPhone = phone('headPhone', cell('headPhone'), true);
  const membersText = cell('members');
  const members = /^\d{1,4}$/.test(membersText) ? Number(membersText) : NaN;
  if (!membersText) bad('members', 'required');
  else if (!(members >= 1 && members <= MAX_MEMBERS)) bad('members', `a whole number from 1 to ${MAX_MEMBERS}`, membersText);
  const responsibleMobile = phone('responsibleMobile', cell('responsibleMobile'), false);
  const shelterCode = cell('shelterCode') || null;
  if (shelterCode && !CODE.test(shelterCode)) bad('shelterCode', 'not a shelter code', shelterCode);
  const routeNote = text('routeNote', 300, false);
  const address = text('address', 200, false);
  const vulnerable = parseVulnerable(cell('vulnerable'));
  if (vulnerable.length > MAX_VULNERABLE) bad('vulnerable', `at most ${MAX_VULNERABLE} people`);
  if (Number.isFinite(members) && vulnerable.length > members) {
    bad('vulnerable', `${vulnerable.length} vulnerable people in a household of ${members}`);
  }

  function phone(field: HouseholdField, raw: string, required: boolean): string | null {
    if (!raw) {
      if (required) bad(field, 'required');
      return null;
    }
    const e164 = normalisePhone(raw);
    if (!e164) bad(field, 'not a phone number', raw);
    return e164 ?? null;
  }

  function parseVulnerable(raw: string): ParsedVulnerable[] {
    if (!raw) return [];
    const out: ParsedVulnerable[] = [];
    for (const [k, entry] of raw
      .split(/[;；]+/)
      .map((s) => s.trim())
      .filter(Boolean)
      .entries()) {
      const [name, cat, helperName, helperPhone, ...needs] = entry.split(/[/／]/).map((s) => s.trim());
      const category = CATEGORY[(cat ?? '').toLowerCase()];
      const helper = helperPhone ? normalisePhone(helperPhone) : undefined;
      const where = `entry ${k + 1}`;
      if (!name || name.length > 50) bad('vulnerable', `${where}: name required (at most 50 characters)`, entry);
      else if (!category) bad('vulnerable', `${where}: category must be one of ${Object.keys(CATEGORY).join(', ')}`, entry);
      else if (!helperName || helperName.length > 50) bad('vulnerable', `${where}: the helper (帮扶人) must be named`, entry);
      else if (!helper) bad('vulnerable', `${where}: the helper's phone is not a phone number`, entry);
      else out.push({ name, category, helperName, helperPhone: helper, needs: needs.join('/').slice(0, 200) || null });
    }
    return out;
  }

  if (errors.length) return { line, code: code || undefined, errors };
  return {
    line,
    code,
    errors,
    candidate: {
      code,
      riskObjectCode,
      headName: headName!,
      headPhone: headPhone!,
      members,
      responsibleMobile,
      shelterCode,
      routeNote,
      address,
      vulnerable,
    },
  };
}

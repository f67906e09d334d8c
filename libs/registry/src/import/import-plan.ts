import type { DivisionRef } from '../divisions/division.service';
import type { HolderWrite } from '../holders/holder.repository';
import { roleLevelProblem } from '../holders/holder-rules';
import { findLoops, superiorsFirst } from './chain-graph';
import { Entry, nodeOf, resolveReferences, StoredHolder, Target } from './holder-references';
import type { HolderCandidate, ImportRowError, ParsedRow } from './holder-row.parser';

export interface PlanInput {
  rows: ParsedRow[];
  /** Divisions named by the rows, by code. */
  divisions: Map<string, DivisionRef>;
  /** Stored holders whose primary mobile the file mentions (own, superior or backup column). */
  holders: StoredHolder[];
  /** Stored superior of those holders and of everyone above them: id → superior id. */
  storedSuperiors: Map<string, string | null>;
  /** The importing principal's area. */
  inScope: (divisionPath: string) => boolean;
}

/** A stored holder by id, or a row of this file by line (not stored yet: its id comes from the write). */
export type Ref = { id: string } | { line: number };

export interface PlannedWrite {
  line: number;
  action: 'insert' | 'update' | 'unchanged';
  existingId?: string;
  /** The stored holder an update changes (its before, for the audit log). */
  existing?: StoredHolder;
  divisionCode: string;
  holder: Omit<HolderWrite, 'superiorId' | 'backupId'>;
  superior: Ref | null;
  backup: Ref | null;
}

export interface ImportPlan {
  total: number;
  /** Accepted rows, superiors before their subordinates. */
  writes: PlannedWrite[];
  rejected: number;
  errors: ImportRowError[];
}

const LOOP = 'would make the 包保 chain loop';

/**
 * Applies every rule that needs more than one row or the database: divisions and scope, the
 * role's level, duplicates, who the superior and backup are, loops in the 包保 chain. A row
 * that fails any rule is rejected whole, and so is every row that leans on it.
 */
export function planImport(input: PlanInput): ImportPlan {
  const entries = input.rows.map((r) => checkDivision(r, input));
  markDuplicates(entries);
  const byKey = new Map(input.holders.map((h) => [`${h.divisionId}|${h.role}|${h.mobile}`, h]));
  for (const e of entries) {
    const existing =
      e.division && e.duplicateOf === undefined && e.key ? byKey.get(`${e.division.id}|${e.key.role}|${e.key.mobile}`) : undefined;
    if (existing) Object.assign(e, { existing, node: existing.id });
  }
  resolveReferences(entries, input.holders, input.inScope);

  const storedNext = new Map(input.storedSuperiors);
  for (const h of input.holders) storedNext.set(h.id, h.superiorId);
  let changed = true;
  while (changed) changed = rejectLeaning(entries) || rejectLoops(entries, storedNext);

  const accepted = entries.filter((e): e is Entry & { c: HolderCandidate } => !e.errors.length && !!e.c && !!e.division);
  const byNode = new Map(accepted.map((e) => [e.node, e]));
  const order = superiorsFirst(
    accepted.map((e) => e.node),
    (n) => (byNode.get(n)?.superior ? nodeOf(byNode.get(n)!.superior!) : null),
  );
  return {
    total: entries.length,
    writes: order.map((n) => toWrite(byNode.get(n)!)),
    rejected: entries.filter((e) => e.errors.length).length,
    errors: entries.flatMap((e) => e.errors),
  };
}

function checkDivision(row: ParsedRow, input: PlanInput): Entry {
  const e: Entry = { line: row.line, key: row.key, c: row.candidate, node: `line:${row.line}`, errors: [...row.errors] };
  if (!row.key) return e;
  const code = row.key.divisionCode;
  const division = input.divisions.get(code);
  if (!division) e.errors.push({ line: e.line, field: 'divisionCode', value: code, problem: 'no such division' });
  else if (!input.inScope(division.path)) e.errors.push({ line: e.line, field: 'divisionCode', value: code, problem: 'outside your area' });
  else {
    e.division = division;
    const p = roleLevelProblem(row.key.role, division.level);
    if (p) e.errors.push({ line: e.line, field: 'role', value: row.key.role, problem: p.problem });
  }
  return e;
}

/** The same appointment twice in one file: the first row stands, later ones are reported. */
function markDuplicates(entries: Entry[]): void {
  const first = new Map<string, Entry>();
  for (const e of entries) {
    if (!e.key) continue;
    const k = `${e.key.divisionCode}|${e.key.role}|${e.key.mobile}`;
    const earlier = first.get(k);
    if (!earlier) first.set(k, e);
    else {
      e.duplicateOf = earlier.line;
      e.errors.push({
        line: e.line,
        field: 'mobile',
        value: e.key.mobile,
        problem: `duplicate of line ${earlier.line} (same division, role and mobile)`,
      });
    }
  }
}

/** Rows whose superior or backup is a rejected row are rejected too (to a fixed point). */
function rejectLeaning(entries: Entry[]): boolean {
  const leaners = new Map<Entry, Array<{ e: Entry; as: 'superior' | 'backup' }>>();
  for (const e of entries) {
    for (const as of ['superior', 'backup'] as const) {
      const t = e[as];
      if (t && 'entry' in t) leaners.set(t.entry, [...(leaners.get(t.entry) ?? []), { e, as }]);
    }
  }
  const queue = entries.filter((e) => e.errors.length);
  let changed = false;
  while (queue.length) {
    const bad = queue.pop()!;
    for (const { e, as } of leaners.get(bad) ?? []) {
      if (e.errors.length) continue;
      const field = as === 'superior' ? 'superiorMobile' : 'backupMobile';
      e.errors.push({
        line: e.line,
        field,
        value: e.c?.[field] ?? undefined,
        problem: `the ${as}'s own row (line ${bad.line}) was rejected`,
      });
      queue.push(e);
      changed = true;
    }
  }
  return changed;
}

/**
 * Rejects rows on a loop of the chain as it would be after the import: accepted rows point
 * where the file says, everyone else where the database says.
 */
function rejectLoops(entries: Entry[], storedNext: Map<string, string | null>): boolean {
  const live = new Map(entries.filter((e) => !e.errors.length && e.c && e.division).map((e) => [e.node, e]));
  const next = (node: string) => {
    const e = live.get(node);
    if (e) return e.superior ? nodeOf(e.superior) : null;
    return storedNext.get(node) ?? null;
  };
  let changed = false;
  for (const loop of findLoops(live.keys(), next)) {
    for (const node of loop) {
      const e = live.get(node);
      if (!e) continue;
      e.errors.push({ line: e.line, field: 'superiorMobile', value: e.c?.superiorMobile ?? undefined, problem: LOOP });
      changed = true;
    }
  }
  return changed;
}

function refOf(t: Target | undefined): Ref | null {
  if (!t) return null;
  if ('holder' in t) return { id: t.holder.id };
  return t.entry.existing ? { id: t.entry.existing.id } : { line: t.entry.line };
}

function toWrite(e: Entry & { c: HolderCandidate }): PlannedWrite {
  const c = e.c;
  const holder = {
    name: c.name,
    role: c.role,
    divisionId: e.division!.id,
    mobile: c.mobile,
    otherPhones: c.otherPhones,
    active: c.active,
    appointedYear: c.appointedYear,
  };
  const superior = refOf(e.superior);
  const backup = refOf(e.backup);
  const x = e.existing;
  const divisionCode = e.division!.code;
  if (!x) return { line: e.line, action: 'insert', divisionCode, holder, superior, backup };
  const same =
    x.name === c.name &&
    x.active === c.active &&
    x.appointedYear === c.appointedYear &&
    (x.otherPhones ?? []).join() === c.otherPhones.join() &&
    x.superiorId === (superior && 'id' in superior ? superior.id : null) &&
    x.backupId === (backup && 'id' in backup ? backup.id : null) &&
    !(superior && 'line' in superior) &&
    !(backup && 'line' in backup);
  return { line: e.line, action: same ? 'unchanged' : 'update', existingId: x.id, existing: x, divisionCode, holder, superior, backup };
}

import { ErrorDetail, isWithin } from '@fangxun/common';
import type { DivisionRef } from '../divisions/division.service';
import type { HolderRow } from '../holders/holder.repository';
import { backupProblem, superiorProblem } from '../holders/holder-rules';
import type { HolderCandidate, ImportRowError, ParsedRow } from './holder-row.parser';

/** What an import needs to know about a stored holder. */
export type StoredHolder = Pick<
  HolderRow,
  | 'id'
  | 'name'
  | 'role'
  | 'divisionId'
  | 'divisionCode'
  | 'divisionPath'
  | 'mobile'
  | 'otherPhones'
  | 'superiorId'
  | 'backupId'
  | 'active'
  | 'appointedYear'
>;

/** A row of the file while the plan checks it. */
export interface Entry {
  line: number;
  key?: ParsedRow['key'];
  c?: HolderCandidate;
  division?: DivisionRef;
  /** The stored appointment this row describes (same division, role and mobile). */
  existing?: StoredHolder;
  /** The stored holder's id, or `line:N` for a row not stored yet. */
  node: string;
  duplicateOf?: number;
  superior?: Target;
  backup?: Target;
  errors: ImportRowError[];
}

/** Whom a superior/backup mobile names: a row of this file, or a stored holder no row describes. */
export type Target = { entry: Entry } | { holder: StoredHolder };

type Kind = 'superior' | 'backup';
const FIELD = { superior: 'superiorMobile', backup: 'backupMobile' } as const;

const pathOf = (t: Target) => ('entry' in t ? t.entry.division!.path : t.holder.divisionPath);
export const nodeOf = (t: Target): string => ('entry' in t ? t.entry.node : t.holder.id);
const activeOf = (t: Target) => ('entry' in t ? (t.entry.c?.active ?? true) : t.holder.active);
const describe = (t: Target) => ('entry' in t ? `line ${t.entry.line}` : `${t.holder.role} at ${t.holder.divisionCode}`);

function parentPath(path: string): string {
  return path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : path;
}

/**
 * Turns the superior and backup mobiles of every parsed row into holders, then applies the
 * same placement rules as single writes (`superiorProblem`, `backupProblem`). A mobile is
 * looked up among the file's rows and the stored holders together; a row replaces the stored
 * appointment it describes. Stored holders the importer may not see are left out, except a
 * superior above the row's division (the chain climbs out of a town admin's area), so an
 * import cannot probe for numbers elsewhere.
 */
export function resolveReferences(entries: Entry[], holders: StoredHolder[], inScope: (path: string) => boolean): void {
  const claimed = new Set(entries.filter((e) => e.existing).map((e) => e.existing!.id));
  const byMobile = new Map<string, Target[]>();
  const add = (mobile: string, t: Target) => byMobile.set(mobile, [...(byMobile.get(mobile) ?? []), t]);
  for (const e of entries) if (e.division && e.key && e.duplicateOf === undefined) add(e.key.mobile, { entry: e });
  for (const h of holders) if (!claimed.has(h.id)) add(h.mobile, { holder: h });

  for (const e of entries) {
    if (!e.c || !e.division) continue;
    for (const kind of ['superior', 'backup'] as const) {
      const mobile = kind === 'superior' ? e.c.superiorMobile : e.c.backupMobile;
      if (!mobile) continue;
      const found = pick(e, kind, byMobile.get(mobile) ?? [], inScope);
      const problem = 'problem' in found ? found : ruleProblem(e, kind, found.target, inScope);
      if (problem) e.errors.push({ line: e.line, field: FIELD[kind], value: mobile, problem: problem.problem });
      else e[kind] = (found as { target: Target }).target;
    }
  }
}

/** One holder for a mobile, preferring, when several share it, the only one placed where the rule wants it. */
function pick(e: Entry, kind: Kind, all: Target[], inScope: (path: string) => boolean): { target: Target } | ErrorDetail {
  const others = all.filter((t) => nodeOf(t) !== e.node);
  const rowPath = e.division!.path;
  const visible = others.filter((t) => 'entry' in t || inScope(pathOf(t)) || (kind === 'superior' && isWithin(rowPath, pathOf(t))));
  if (!visible.length) {
    if (others.length < all.length) {
      return {
        field: FIELD[kind],
        problem: kind === 'superior' ? 'a holder cannot answer to themself' : 'a holder cannot be their own backup',
      };
    }
    const where = kind === 'superior' ? 'in the file, in your area or above this division' : 'in the file or in your area';
    return { field: FIELD[kind], problem: `no holder with this mobile ${where}` };
  }
  if (visible.length === 1) return { target: visible[0] };
  const placed = visible.filter((t) => (kind === 'superior' ? isWithin(rowPath, pathOf(t)) : isWithin(pathOf(t), parentPath(rowPath))));
  if (placed.length === 1) return { target: placed[0] };
  const listed = visible.slice(0, 3).map(describe).join('; ') + (visible.length > 3 ? '; …' : '');
  return {
    field: FIELD[kind],
    problem: `ambiguous: ${visible.length} holders have this mobile (${listed}); give a mobile that names one holder only`,
  };
}

function ruleProblem(e: Entry, kind: Kind, t: Target, inScope: (path: string) => boolean): ErrorDetail | undefined {
  const self = { id: e.node, divisionPath: e.division!.path };
  const other = { id: nodeOf(t), divisionPath: pathOf(t), active: activeOf(t) };
  if (kind === 'superior') return superiorProblem(self, other);
  return backupProblem(self, other) ?? (inScope(other.divisionPath) ? undefined : { field: 'backupId', problem: 'outside your area' });
}

import type { ChainHolderRow, DivisionLevel } from '@fangxun/registry';
import { HOLDER_ROLES, ROLE_NAMES_ZH } from '@fangxun/registry';
import { RISK_TYPE_ZH } from './risk-labels';
import type { TouchedObjectRow } from './who-must-answer.repository';

export const REASON_KINDS = ['primary_holder', 'backup_holder', 'grid_holder', 'village_holder', 'town_holder', 'superior'] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

export interface Reason {
  kind: ReasonKind;
  via: { riskObjectCode?: string; divisionCode?: string; holderId?: string };
  text: string;
}

export interface Person {
  holder: ChainHolderRow;
  reasons: Reason[];
}

/** A division the area itself touches (not only at its edge). */
export interface TouchedDivision {
  id: string;
  code: string;
  name: string;
  level: DivisionLevel;
}

const LEVEL_ORDER: Record<DivisionLevel, number> = { city: 0, town: 1, village: 2, grid: 3 };
const ADMIN_KIND: Partial<Record<DivisionLevel, ReasonKind>> = { town: 'town_holder', village: 'village_holder' };
const ADMIN_ZH: Partial<Record<DivisionLevel, string>> = { town: '镇（街道）', village: '村（社区）' };
const roleZh = (h: ChainHolderRow) => ROLE_NAMES_ZH[h.role][0];

/**
 * Everyone who must answer, once per person with every reason: objects' primary and backup
 * holders, holders of the grids the objects lie in, administrative holders of the villages and
 * towns touched, and every superior above any of them (one reason per direct subordinate).
 * Sorted city → town → village → grid, then by role and name.
 */
export function assemblePeople(objects: TouchedObjectRow[], divisions: TouchedDivision[], holders: ChainHolderRow[]): Person[] {
  const byDivision = new Map<string, Reason[]>();
  const byHolder = new Map<string, Reason[]>();
  const push = (map: Map<string, Reason[]>, key: string | null, reason: Reason) => {
    if (!key) return;
    const list = map.get(key) ?? [];
    if (!list.some((r) => r.kind === reason.kind && sameVia(r.via, reason.via))) list.push(reason);
    map.set(key, list);
  };
  const adminReason = (d: { code: string; name: string }, level: DivisionLevel, why: string): Reason => ({
    kind: ADMIN_KIND[level]!,
    via: { divisionCode: d.code },
    text: `${ADMIN_ZH[level]}${d.name}（${d.code}）的行政责任人：${why}`,
  });

  for (const d of divisions) {
    if (ADMIN_KIND[d.level]) push(byDivision, d.id, adminReason(d, d.level, '该区域与所选范围相交'));
    // a grid the area names outright (a warning or an order for that grid): its grid holders answer
    if (d.level === 'grid')
      push(byDivision, d.id, {
        kind: 'grid_holder',
        via: { divisionCode: d.code },
        text: `网格${d.name}（${d.code}）的网格责任人：所选范围点名该网格`,
      });
  }
  for (const o of objects) {
    const what = `${RISK_TYPE_ZH[o.type]} ${o.code}`;
    push(byHolder, o.primaryHolderId, { kind: 'primary_holder', via: { riskObjectCode: o.code }, text: `${what} 的责任人` });
    push(byHolder, o.backupHolderId, { kind: 'backup_holder', via: { riskObjectCode: o.code }, text: `${what} 的备岗（B岗）责任人` });
    for (const g of o.grids) {
      push(byDivision, g.id, { kind: 'grid_holder', via: { divisionCode: g.code, riskObjectCode: o.code }, text: gridText(g, what, o) });
    }
    if (o.village) push(byDivision, o.village.id, adminReason(o.village, 'village', `${what} 位于该村`));
    if (o.town) push(byDivision, o.town.id, adminReason(o.town, 'town', `${what} 位于该镇（街道）`));
  }

  const people = new Map<string, Person>(holders.map((h) => [h.id, { holder: h, reasons: [] }]));
  for (const p of people.values()) {
    p.reasons.push(...(byHolder.get(p.holder.id) ?? []));
    // Division reasons go to the holders filed there, for their own level's kind only (a
    // village's reasons to its administrative holders, a grid's to its grid holders).
    p.reasons.push(...(byDivision.get(p.holder.divisionId) ?? []).filter((r) => fitsLevel(r.kind, p.holder.divisionLevel)));
  }
  // Subordinates in display order, so a superior's reasons come out the same on every call.
  for (const p of [...people.values()].sort(byLevelRoleName)) {
    const superior = p.holder.superiorId ? people.get(p.holder.superiorId) : undefined;
    if (!superior) continue;
    const h = p.holder;
    superior.reasons.push({
      kind: 'superior',
      via: { holderId: h.id },
      text: `${h.name}（${h.divisionName}${roleZh(h)}）的包保上级`,
    });
  }
  return [...people.values()].filter((p) => p.reasons.length).sort(byLevelRoleName);
}

function gridText(g: TouchedObjectRow['grids'][number], what: string, o: TouchedObjectRow): string {
  const grid = `网格${g.name}（${g.code}）的网格责任人：`;
  switch (g.link) {
    case 'inside':
      return `${grid}${what} 位于该网格`;
    case 'filed':
      return `${grid}${what} 登记在该网格`;
    case 'unbounded':
      return `${grid}${what} 所在村（${o.village?.name ?? ''}）的网格未划边界`;
    case 'village':
      return `${grid}${what} 不在任何网格边界内，按所在村（${o.village?.name ?? ''}）通知`;
  }
}

function fitsLevel(kind: ReasonKind, level: DivisionLevel): boolean {
  return kind === 'grid_holder'
    ? level === 'grid'
    : kind === 'village_holder'
      ? level === 'village'
      : kind === 'town_holder'
        ? level === 'town'
        : false;
}

function sameVia(a: Reason['via'], b: Reason['via']): boolean {
  return a.riskObjectCode === b.riskObjectCode && a.divisionCode === b.divisionCode && a.holderId === b.holderId;
}

function byLevelRoleName(a: Person, b: Person): number {
  const x = a.holder;
  const y = b.holder;
  return (
    LEVEL_ORDER[x.divisionLevel] - LEVEL_ORDER[y.divisionLevel] ||
    HOLDER_ROLES.indexOf(x.role) - HOLDER_ROLES.indexOf(y.role) ||
    x.name.localeCompare(y.name, 'zh-Hans-CN') ||
    x.id.localeCompare(y.id)
  );
}

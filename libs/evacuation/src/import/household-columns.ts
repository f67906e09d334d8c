import { AppError, ErrorDetail } from '@fangxun/common';
import { EvacuationErrors } from '../evacuation.errors';

/** The columns a household import understands; the first five are required. */
export const HOUSEHOLD_FIELDS = [
  'code',
  'riskObjectCode',
  'headName',
  'headPhone',
  'members',
  'responsibleMobile',
  'shelterCode',
  'routeNote',
  'address',
  'vulnerable',
] as const;
export type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];
const REQUIRED: readonly HouseholdField[] = ['code', 'riskObjectCode', 'headName', 'headPhone', 'members'];

/** Header names as village offices write them, English or Chinese; matched after `normalise`. */
const ALIASES: Record<HouseholdField, string[]> = {
  code: ['code', '户编号', '户码', '编号'],
  riskObjectCode: ['riskobjectcode', '风险对象编号', '风险点编号', '危险区编号'],
  headName: ['headname', '户主', '户主姓名'],
  headPhone: ['headphone', '户主电话', '户主手机', '联系电话'],
  members: ['members', '人数', '家庭人数', '户人数', '转移人数'],
  responsibleMobile: ['responsiblemobile', '包户责任人手机', '责任人手机', '包保责任人手机'],
  shelterCode: ['sheltercode', '安置点编号', '安置点', '避灾安置场所编号'],
  routeNote: ['routenote', '转移路线', '路线'],
  address: ['address', '住址', '地址'],
  vulnerable: ['vulnerable', '特殊人群', '弱势人员', '重点人员'],
};

const BY_ALIAS = new Map<string, HouseholdField>(
  (Object.entries(ALIASES) as Array<[HouseholdField, string[]]>).flatMap(([f, names]) => names.map((n) => [n, f] as const)),
);

/** Full-width forms folded (NFKC), case, spaces and the marks offices add ("户主*", "人数(必填)") dropped. */
function normalise(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, '')
    .replace(/[\s*_\-:：]/g, '');
}

export interface HouseholdHeader {
  index: number;
  columns: Map<HouseholdField, number>;
}

/** The first of the leading 5 rows naming at least two known columns (a title row above is skipped); 400 without one. */
export function findHouseholdHeader(rows: ReadonlyArray<{ cells: string[] }>): HouseholdHeader {
  for (let i = 0; i < Math.min(rows.length, 5); i++) {
    const columns = new Map<HouseholdField, number>();
    const details: ErrorDetail[] = [];
    rows[i].cells.forEach((cell, col) => {
      const field = BY_ALIAS.get(normalise(cell));
      if (!field) return;
      if (columns.has(field)) details.push({ field, problem: `named by two columns (${columns.get(field)! + 1} and ${col + 1})` });
      else columns.set(field, col);
    });
    if (columns.size < 2) continue;
    const missing = REQUIRED.filter((f) => !columns.has(f));
    details.push(...missing.map((f) => ({ field: f, problem: `column missing: name it ${ALIASES[f].join(' / ')}` })));
    if (details.length)
      throw new AppError(EvacuationErrors.HouseholdImportFile, `header: ${details[0].field} ${details[0].problem}`, details);
    return { index: i, columns };
  }
  throw new AppError(
    EvacuationErrors.HouseholdImportFile,
    `no header row: the first line must name the columns, at least ${REQUIRED.join(', ')}`,
    REQUIRED.map((f) => ({ field: f, problem: `column missing: name it ${ALIASES[f].join(' / ')}` })),
  );
}

export function fileProblem(problem: string): AppError {
  return new AppError(EvacuationErrors.HouseholdImportFile, `file: ${problem}`, [{ field: 'file', problem }]);
}

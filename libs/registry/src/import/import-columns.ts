import { AppError, ErrorDetail } from '@fangxun/common';
import { TableFileErrors } from '@fangxun/platform';

/** The columns a holder import understands; the first four are required. */
export const IMPORT_FIELDS = [
  'name',
  'role',
  'divisionCode',
  'mobile',
  'otherPhones',
  'superiorMobile',
  'backupMobile',
  'appointedYear',
  'active',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly ImportField[] = ['name', 'role', 'divisionCode', 'mobile'];

/** Header names as offices write them, English or Chinese; matched after `normaliseHeader`. */
const ALIASES: Record<ImportField, string[]> = {
  name: ['name', '姓名', '责任人姓名'],
  role: ['role', '角色', '职务', '岗位'],
  divisionCode: ['divisioncode', '区划代码', '行政区划代码', '区划编码'],
  mobile: ['mobile', '手机', '手机号', '手机号码', '移动电话'],
  otherPhones: ['otherphones', '其他电话', '固定电话', '办公电话', '座机'],
  superiorMobile: ['superiormobile', '上级手机', '上级手机号', '上级手机号码', '包保责任人手机'],
  backupMobile: ['backupmobile', 'ab岗手机', 'ab岗手机号', '备岗手机', '备岗手机号'],
  appointedYear: ['appointedyear', '年度', '任职年度'],
  active: ['active', '在岗', '是否在岗'],
};

const BY_ALIAS = new Map<string, ImportField>(
  (Object.entries(ALIASES) as Array<[ImportField, string[]]>).flatMap(([field, names]) => names.map((n) => [n, field] as const)),
);

/** How many leading rows may be a title ("2025年东塍镇防汛责任人名单") above the header. */
const HEADER_SEARCH_ROWS = 5;

/**
 * Full-width letters and brackets become ASCII (NFKC), case and spaces go, and so do the
 * marks offices add to headers: "手机号码*", "Mobile (必填)", "division_code".
 */
export function normaliseHeader(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, '')
    .replace(/[\s*_\-:：]/g, '');
}

export function fieldOfHeader(raw: string): ImportField | undefined {
  return BY_ALIAS.get(normaliseHeader(raw));
}

export interface HeaderMap {
  /** Index into `rows` of the header row. */
  index: number;
  columns: Map<ImportField, number>;
}

function describe(field: ImportField): string {
  return ALIASES[field].filter((a) => a !== field.toLowerCase()).length
    ? `${field} (or ${ALIASES[field].filter((a) => a !== field.toLowerCase()).join(' / ')})`
    : field;
}

/**
 * Finds the header: the first of the leading rows that names at least two known columns.
 * Refuses (400) a file without one, with a required column missing, or naming a column twice.
 */
export function findHeader(rows: ReadonlyArray<{ line: number; cells: string[] }>): HeaderMap {
  let best: { index: number; columns: Map<ImportField, number>; dupes: ErrorDetail[] } | undefined;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const columns = new Map<ImportField, number>();
    const dupes: ErrorDetail[] = [];
    rows[i].cells.forEach((cell, col) => {
      const field = fieldOfHeader(cell);
      if (!field) return;
      if (columns.has(field)) dupes.push({ field, problem: `named by two columns (${columns.get(field)! + 1} and ${col + 1})` });
      else columns.set(field, col);
    });
    if (columns.size >= 2) {
      best = { index: i, columns, dupes };
      break;
    }
  }
  if (!best) {
    throw new AppError(
      TableFileErrors.Invalid,
      `no header row: the first line must name the columns, at least ${REQUIRED_FIELDS.join(', ')}`,
      REQUIRED_FIELDS.map((f) => ({ field: f, problem: `column missing: name it ${describe(f)}` })),
    );
  }
  const missing = REQUIRED_FIELDS.filter((f) => !best.columns.has(f));
  const details = [...best.dupes, ...missing.map((f) => ({ field: f, problem: `column missing: name it ${describe(f)}` }))];
  if (details.length) {
    const message = missing.length ? `missing columns: ${missing.join(', ')}` : 'a column is named twice';
    throw new AppError(TableFileErrors.Invalid, message, details);
  }
  return { index: best.index, columns: best.columns };
}

import { AppError, CommonErrors } from '@fangxun/common';
import { readTable, tableFileError } from '@fangxun/platform';
import { isChineseMobile, normalisePhone } from '@fangxun/registry';

export const CONTACT_CATEGORIES = ['resident', 'vulnerable', 'tourist', 'worker', 'other'] as const;
export type ContactCategory = (typeof CONTACT_CATEGORIES)[number];
export const CONTACT_FIELDS = ['name', 'phone', 'category', 'note'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Header names as village offices write them, matched after `normalise`. */
const HEADERS: Record<ContactField, string[]> = {
  name: ['name', '姓名', '户主', '户主姓名', '联系人'],
  phone: ['phone', 'mobile', '手机', '手机号', '手机号码', '电话', '联系电话', '移动电话'],
  category: ['category', '类别', '人员类别', '类型'],
  note: ['note', '备注', '说明'],
};

/** Categories in English or as the lists say them in Chinese. */
const CATEGORY_WORDS: Record<string, ContactCategory> = {
  resident: 'resident',
  居民: 'resident',
  村民: 'resident',
  常住人口: 'resident',
  常住居民: 'resident',
  住户: 'resident',
  vulnerable: 'vulnerable',
  弱势群体: 'vulnerable',
  弱势人员: 'vulnerable',
  老人: 'vulnerable',
  独居老人: 'vulnerable',
  残疾人: 'vulnerable',
  重点人员: 'vulnerable',
  tourist: 'tourist',
  游客: 'tourist',
  worker: 'worker',
  工人: 'worker',
  务工人员: 'worker',
  施工人员: 'worker',
  作业人员: 'worker',
  other: 'other',
  其他: 'other',
  其它: 'other',
};

const HEADER_SEARCH_ROWS = 5;
const MAX_NAME = 50;
const MAX_NOTE = 200;

export interface ContactRow {
  line: number;
  name: string;
  phone: string;
  category: ContactCategory;
  note: string | null;
}

export interface ContactRowError {
  line: number;
  field: ContactField;
  value?: string;
  problem: string;
}

export interface ContactFile {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'gb18030' | 'utf-16le';
  total: number;
  rows: ContactRow[];
  errors: ContactRowError[];
}

/** The upload as a whole cannot be read: the tabular reader's 400 IMPORT_FILE_INVALID, naming `file`. */
export function contactFileError(problem: string): AppError {
  return tableFileError(problem);
}

function normalise(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, '')
    .replace(/[\s*_\-:：]/g, '');
}

const BY_HEADER = new Map<string, ContactField>(
  (Object.entries(HEADERS) as Array<[ContactField, string[]]>).flatMap(([f, names]) => names.map((n) => [n, f] as const)),
);

/**
 * Bytes of a contact list → checked rows and per-line problems. The registry's tabular reader
 * decodes it (CSV in UTF-8, GBK/GB18030 or UTF-16, or XLSX); a title row above the header is
 * skipped. A bad cell rejects its row only; a file without name and phone columns is refused.
 */
export async function readContactFile(buf: Buffer, maxRows: number): Promise<ContactFile> {
  const table = await readTable(buf);
  const header = findHeader(table.rows);
  const data = table.rows.slice(header.index + 1);
  if (data.length > maxRows) {
    const problem = `${data.length} rows; one import takes at most ${maxRows}: split the file`;
    throw new AppError(CommonErrors.PayloadTooLarge, `file: ${problem}`, [{ field: 'file', problem }]);
  }
  const rows: ContactRow[] = [];
  const errors: ContactRowError[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of data) {
    const cell = (f: ContactField) => {
      const i = header.columns.get(f);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const before = errors.length;
    const bad = (field: ContactField, value: string, problem: string) => errors.push({ line, field, ...(value ? { value } : {}), problem });
    const name = cell('name');
    if (!name) bad('name', '', 'required');
    else if (name.length > MAX_NAME) bad('name', name.slice(0, 60), `at most ${MAX_NAME} characters`);
    const rawPhone = cell('phone');
    const phone = rawPhone ? normalisePhone(rawPhone) : undefined;
    if (!rawPhone) bad('phone', '', 'required');
    else if (!phone || !isChineseMobile(phone)) bad('phone', rawPhone, 'not a Chinese mobile number (11 digits starting 1, +86 optional)');
    else if (seen.has(phone)) bad('phone', rawPhone, `same number as line ${seen.get(phone)}`);
    const rawCategory = cell('category');
    const category = rawCategory ? CATEGORY_WORDS[normalise(rawCategory)] : 'resident';
    if (!category) bad('category', rawCategory, `one of ${CONTACT_CATEGORIES.join(', ')} (or 居民, 弱势群体, 游客, 务工人员, 其他)`);
    const note = cell('note');
    if (note.length > MAX_NOTE) bad('note', note.slice(0, 60), `at most ${MAX_NOTE} characters`);
    if (errors.length > before) continue;
    seen.set(phone!, line);
    rows.push({ line, name, phone: phone!, category: category!, note: note || null });
  }
  return { format: table.format, encoding: table.encoding, total: data.length, rows, errors };
}

function findHeader(rows: ReadonlyArray<{ line: number; cells: string[] }>): { index: number; columns: Map<ContactField, number> } {
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const columns = new Map<ContactField, number>();
    rows[i].cells.forEach((c, col) => {
      const f = BY_HEADER.get(normalise(c));
      if (f && !columns.has(f)) columns.set(f, col);
    });
    if (columns.size < 2) continue;
    const missing = (['name', 'phone'] as const).filter((f) => !columns.has(f));
    if (missing.length)
      throw contactFileError(`header lacks ${missing.join(', ')} (columns: 姓名/name, 手机/phone[, 类别/category, 备注/note])`);
    return { index: i, columns };
  }
  throw contactFileError('no header row naming 姓名/name and 手机/phone in the first rows');
}

import { CellValue, Workbook } from 'exceljs';
import type { TableRow } from './table.types';
import { tableFileError as fileError } from './table-file.errors';

/**
 * What an upload may unpack to. A 20,000-row holder sheet (the largest import) unpacks to ~20 MiB of XML; a zip
 * bomb declares gigabytes. The check reads the sizes the zip declares, so it stops honest
 * bombs before anything is inflated; a zip that lies about its sizes is caught by JSZip's
 * own size check, but only after inflating (bounded by the deflate ratio of the upload).
 */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
const MAX_ENTRIES = 2000;

/** Sums the uncompressed sizes in a zip's central directory; refuses what would unpack too big. */
export function assertZipUnpacksSmall(buf: Buffer, maxBytes = MAX_UNPACKED_BYTES): void {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw fileError('not a readable XLSX workbook (broken zip)');
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || at === 0xffffffff) throw fileError('ZIP64 workbooks are not read: save it again as .xlsx or CSV');
  if (entries > MAX_ENTRIES) throw fileError(`not a spreadsheet (${entries} parts in the zip)`);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw fileError('not a readable XLSX workbook (broken zip)');
    const size = buf.readUInt32LE(at + 24);
    if (size === 0xffffffff) throw fileError('ZIP64 workbooks are not read: save it again as .xlsx or CSV');
    total += size;
    if (total > maxBytes) throw fileError(`the workbook unpacks to more than ${maxBytes / 1024 / 1024} MiB`);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
}

/** A cell as the text a person typed: phone numbers stored as numbers stay whole, formulas give their result. */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if ('richText' in v)
    return v.richText
      .map((t) => t.text)
      .join('')
      .trim();
  if ('hyperlink' in v) return cellText(v.text as CellValue);
  if ('formula' in v || 'sharedFormula' in v) return cellText(v.result as CellValue);
  if ('error' in v) return v.error;
  return '';
}

/** The first visible sheet's non-blank rows, numbered as Excel shows them. */
export async function readXlsx(buf: Buffer): Promise<TableRow[]> {
  assertZipUnpacksSmall(buf);
  const wb = new Workbook();
  try {
    // exceljs's Buffer type predates Node's generic Buffer<ArrayBufferLike>.
    await wb.xlsx.load(buf as unknown as Parameters<Workbook['xlsx']['load']>[0]);
  } catch {
    throw fileError('not a readable XLSX workbook');
  }
  const sheet = wb.worksheets.find((ws) => ws.state === 'visible') ?? wb.worksheets[0];
  if (!sheet) throw fileError('not an XLSX workbook (no sheets in it)');
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as CellValue[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
    if (cells.some((c) => c !== '')) rows.push({ line: rowNumber, cells });
  });
  return rows;
}

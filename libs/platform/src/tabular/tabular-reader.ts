import { readCsv } from './csv-reader';
import type { Table } from './table.types';
import { tableFileError as fileError } from './table-file.errors';
import { readXlsx } from './xlsx-reader';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(buf: Buffer, magic: number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

/**
 * Bytes of an upload → rows of text cells. The format is told by content, not by name:
 * a zip is an XLSX workbook, an old OLE file is refused by name, anything else must be
 * delimited text (CSV, or Excel's tab-separated "Unicode text").
 */
export async function readTable(buf: Buffer): Promise<Table> {
  if (!buf.length) throw fileError('the file is empty');
  if (startsWith(buf, ZIP)) return { format: 'xlsx', encoding: 'utf-8', rows: await readXlsx(buf) };
  if (startsWith(buf, OLE)) throw fileError('old Excel (.xls) workbooks are not read: save it as .xlsx or CSV');
  const csv = readCsv(buf);
  return { format: 'csv', ...csv };
}

import { CsvError, parse } from 'csv-parse/sync';
import * as iconv from 'iconv-lite';
import type { Table } from './table.types';
import { tableFileError as fileError } from './table-file.errors';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true });
/** A record longer than this is no row of any import: someone uploaded the wrong file. */
const MAX_RECORD_BYTES = 64 * 1024;

/**
 * Text as Chinese offices export it: UTF-8 with or without a BOM (WPS, LibreOffice, Excel's
 * "CSV UTF-8"), GBK/GB18030 (Excel's plain "CSV" on a Chinese Windows), or UTF-16LE with a
 * BOM (Excel's "Unicode text", tab-separated). UTF-8 wins when the bytes decode strictly;
 * GB18030, a superset of GBK, decodes any byte string, so a U+FFFD in its output means the
 * bytes were neither.
 */
export function decodeText(buf: Buffer): { text: string; encoding: Table['encoding'] } {
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    try {
      return { text: UTF16LE.decode(buf.subarray(2)), encoding: 'utf-16le' };
    } catch {
      throw fileError('the file says UTF-16 but is not');
    }
  }
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  if (body.includes(0)) throw fileError('not a CSV or XLSX file (binary content)');
  try {
    return { text: UTF8.decode(body), encoding: 'utf-8' };
  } catch {
    const text = iconv.decode(body, 'gb18030');
    if (text.includes('\uFFFD')) throw fileError('text is neither UTF-8 nor GBK/GB18030: save the CSV as UTF-8');
    return { text, encoding: 'gb18030' };
  }
}

/** Comma unless the first line has more tabs (Excel "Unicode text") or semicolons (some locales). */
function delimiterOf(text: string): string {
  const nl = text.indexOf('\n');
  const first = nl === -1 ? text : text.slice(0, nl);
  const count = (c: string) => first.split(c).length - 1;
  const [best] = [',', '\t', ';'].sort((a, b) => count(b) - count(a));
  return count(best) ? best : ',';
}

export function readCsv(buf: Buffer): Pick<Table, 'encoding' | 'rows'> {
  const decoded = decodeText(buf);
  const { encoding } = decoded;
  // A DOS end-of-file mark (Ctrl-Z) after the last line is harmless; other control characters are not text.
  const text = decoded.text.replace(/\u001a+\s*$/, '');
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw fileError('not a CSV or XLSX file (control characters in the text)');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw fileError(`unreadable CSV${line ? ` at line ${line}` : ''}: ${err.message.replace(/^[^:]*: /, '')}`);
    }
    throw err;
  }
  const rows = records
    // csv-parse reports the line a record ends on; a quoted cell with line breaks starts it earlier.
    .map(({ record, info }) => ({
      line: info.lines - record.reduce((n, c) => n + (c.split('\n').length - 1), 0),
      cells: record.map((c) => c.trim()),
    }))
    .filter((r) => r.cells.some((c) => c !== ''));
  return { encoding, rows };
}

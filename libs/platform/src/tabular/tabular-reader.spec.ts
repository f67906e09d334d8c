import { Workbook } from 'exceljs';
import * as iconv from 'iconv-lite';
import { AppError } from '@fangxun/common';
import { decodeText } from './csv-reader';
import { readTable } from './tabular-reader';
import { assertZipUnpacksSmall, cellText } from './xlsx-reader';

const HEADER = '姓名,角色,区划代码,手机';
const ROW = '王建国,山洪预警员,331082001001G01,13912345678';

async function problemOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return `${err.code}: ${err.details.map((d) => d.problem).join('; ')}`;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('reading an uploaded table', () => {
  it('reads a UTF-8 CSV with a BOM, trims cells, skips blank lines and keeps the line numbers the user sees', async () => {
    const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\r\n\r\n ${ROW} \r\n,,,\r\n${ROW}\r\n`)]);
    const t = await readTable(buf);
    expect(t).toMatchObject({ format: 'csv', encoding: 'utf-8' });
    expect(t.rows.map((r) => r.line)).toEqual([1, 3, 5]);
    expect(t.rows[0].cells[0]).toBe('姓名');
    expect(t.rows[1].cells[0]).toBe('王建国');
  });

  it('reads a GBK export from Excel on a Chinese Windows as GB18030', async () => {
    const t = await readTable(iconv.encode(`${HEADER}\n${ROW}\n`, 'gbk'));
    expect(t.encoding).toBe('gb18030');
    expect(t.rows[1].cells).toEqual(['王建国', '山洪预警员', '331082001001G01', '13912345678']);
  });

  it('reads Excel "Unicode text" (UTF-16LE with BOM, tab-separated)', async () => {
    const text = `${HEADER}\n${ROW}\n`.replace(/,/g, '\t');
    const t = await readTable(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(t.encoding).toBe('utf-16le');
    expect(t.rows[1].cells[1]).toBe('山洪预警员');
  });

  it('gives a record with a quoted line break the line it starts on', async () => {
    const t = await readTable(Buffer.from(`${HEADER}\n"王\n建国",预警员,331082001001G01,13912345678\n${ROW}\n`));
    expect(t.rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('refuses an empty file, binary content, an old .xls and text in no known encoding', async () => {
    expect(await problemOf(readTable(Buffer.alloc(0)))).toMatch(/IMPORT_FILE_INVALID: the file is empty/);
    expect(await problemOf(readTable(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49])))).toMatch(/binary/);
    expect(await problemOf(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0])))).toMatch(/\.xls/);
    expect(await problemOf(readTable(Buffer.from([0x61, 0x2c, 0x80, 0xff, 0x0a])))).toMatch(/neither UTF-8 nor GBK/);
  });

  it('refuses a zip that is not a workbook', async () => {
    const zipOnly = Buffer.from('504b0506' + '00'.repeat(18), 'hex');
    expect(await problemOf(readTable(Buffer.concat([Buffer.from('PK\x03\x04'), zipOnly])))).toMatch(
      /IMPORT_FILE_INVALID: not (a readable|an) XLSX/,
    );
  });

  it('reads the first sheet of an XLSX, phone numbers stored as numbers included', async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet('责任人');
    ws.addRow(['2025年防汛责任人名单']);
    ws.addRow(['姓名', '角色', '区划代码', '手机']);
    ws.addRow(['王建国', { richText: [{ text: '山洪' }, { text: '预警员' }] }, '331082001001G01', 13912345678]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const t = await readTable(buf);
    expect(t.format).toBe('xlsx');
    expect(t.rows).toEqual([
      { line: 1, cells: ['2025年防汛责任人名单'] },
      { line: 2, cells: ['姓名', '角色', '区划代码', '手机'] },
      { line: 3, cells: ['王建国', '山洪预警员', '331082001001G01', '13912345678'] },
    ]);
  });

  it('refuses a workbook that declares it unpacks to more than the limit, before inflating it', async () => {
    const wb = new Workbook();
    wb.addWorksheet('s').addRow(['x'.repeat(5000)]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    expect(() => assertZipUnpacksSmall(buf, 1000)).toThrow(/unpacks to more than/);
    expect(() => assertZipUnpacksSmall(buf)).not.toThrow();
  });

  it('turns cells into the text a person typed', () => {
    expect(cellText(2025)).toBe('2025');
    expect(cellText(true)).toBe('true');
    expect(cellText({ formula: 'A1', result: 13912345678 })).toBe('13912345678');
    expect(cellText({ text: '东湖村', hyperlink: 'http://x' })).toBe('东湖村');
    expect(cellText(new Date(Date.UTC(2025, 4, 1)))).toBe('2025-05-01');
    expect(cellText(null)).toBe('');
  });

  it('prefers UTF-8 when the bytes decode strictly, with or without a BOM', () => {
    expect(decodeText(Buffer.from('姓名')).encoding).toBe('utf-8');
    expect(decodeText(iconv.encode('姓名', 'gbk')).encoding).toBe('gb18030');
  });
});

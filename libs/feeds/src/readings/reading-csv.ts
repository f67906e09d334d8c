import { parse } from 'csv-parse/sync';
import * as iconv from 'iconv-lite';
import { AppError, CommonErrors } from '@fangxun/common';
import type { RawReading } from './reading.types';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Header names accepted per field (English as documented, Chinese as offices write them). */
const COLUMNS: Record<keyof RawReading, string[]> = {
  stationCode: ['stationcode', 'station', '站码', '测站编码', '站号'],
  observedAt: ['observedat', 'time', '观测时间', '时间'],
  value: ['value', '值', '雨量', '水位'],
  unit: ['unit', '单位'],
  intervalMinutes: ['intervalminutes', 'interval', '时段分钟', '时段'],
};

export interface CsvReadings {
  encoding: 'utf-8' | 'gb18030';
  rows: RawReading[];
  /** File line of each row, for messages a person can find in the file. */
  lines: number[];
}

function fileError(problem: string): AppError {
  return new AppError(CommonErrors.Validation, `file: ${problem}`, [{ field: 'file', problem }]);
}

/**
 * A back-fill CSV → raw readings. UTF-8 (with or without BOM) when the bytes decode
 * strictly, else GBK/GB18030 (Excel's plain "CSV" on a Chinese Windows). Cells stay text
 * until ingest checks them, so a bad cell is one rejected row, not a refused file.
 */
export function readReadingsCsv(buf: Buffer): CsvReadings {
  if (!buf.length) throw fileError('the file is empty');
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  if (body.includes(0)) throw fileError('not a CSV file (binary content)');
  let text: string;
  let encoding: CsvReadings['encoding'] = 'utf-8';
  try {
    text = UTF8.decode(body);
  } catch {
    text = iconv.decode(body, 'gb18030');
    encoding = 'gb18030';
    if (text.includes('\uFFFD')) throw fileError('text is neither UTF-8 nor GBK/GB18030');
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: 4096,
    }) as unknown as typeof records;
  } catch (err) {
    throw fileError(`not readable as CSV (${(err as Error).message.slice(0, 120)})`);
  }
  const [head, ...data] = records;
  if (!head) throw fileError('no header row');
  const names = head.record.map((h) => h.replace(/[\s_-]/g, '').toLowerCase());
  const col = (k: keyof RawReading) => names.findIndex((n) => COLUMNS[k].includes(n));
  const at = {
    stationCode: col('stationCode'),
    observedAt: col('observedAt'),
    value: col('value'),
    unit: col('unit'),
    interval: col('intervalMinutes'),
  };
  const missing = (['stationCode', 'observedAt', 'value'] as const).filter((k) => at[k] < 0);
  if (missing.length) throw fileError(`header lacks ${missing.join(', ')} (columns: stationCode,observedAt,value[,unit,intervalMinutes])`);
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '');
  const rows = data.map(({ record }) => {
    const unit = cell(record, at.unit);
    const interval = cell(record, at.interval);
    const value = cell(record, at.value);
    return {
      stationCode: cell(record, at.stationCode),
      observedAt: cell(record, at.observedAt),
      value: value === '' ? Number.NaN : Number(value),
      ...(unit ? { unit: unit.toLowerCase() as RawReading['unit'] } : {}),
      ...(interval ? { intervalMinutes: Number(interval) } : {}),
    };
  });
  return { encoding, rows, lines: data.map((d) => d.info.lines) };
}

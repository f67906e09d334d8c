import { readTable, tableFileError } from '@fangxun/platform';
import type { RawReading } from './reading.types';

/** Header names accepted per field (English as documented, Chinese as offices write them). */
const COLUMNS: Record<keyof RawReading, string[]> = {
  stationCode: ['stationcode', 'station', '站码', '测站编码', '站号'],
  observedAt: ['observedat', 'time', '观测时间', '时间'],
  value: ['value', '值', '雨量', '水位'],
  unit: ['unit', '单位'],
  intervalMinutes: ['intervalminutes', 'interval', '时段分钟', '时段'],
};

export interface FileReadings {
  encoding: string;
  rows: RawReading[];
  /** File line (CSV) or row (XLSX) of each reading, for messages a person can find in the file. */
  lines: number[];
}

/** Same code as the reader's own refusals (400 IMPORT_FILE_INVALID), so one file problem reads one way. */
const fileError = tableFileError;

/**
 * A back-fill file → raw readings. Bytes are read by platform's tabular reader (the same
 * one holder imports use: CSV in UTF-8, GBK/GB18030 or UTF-16, or XLSX, told by content).
 * Cells stay text until ingest checks them, so a bad cell is one rejected row, not a refused file.
 */
export async function readReadingsFile(buf: Buffer): Promise<FileReadings> {
  const table = await readTable(buf);
  const [head, ...data] = table.rows;
  if (!head) throw fileError('no header row');
  const names = head.cells.map((h) => h.replace(/[\s_-]/g, '').toLowerCase());
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
  const rows = data.map(({ cells }) => {
    const unit = cell(cells, at.unit);
    const interval = cell(cells, at.interval);
    const value = cell(cells, at.value);
    return {
      stationCode: cell(cells, at.stationCode),
      observedAt: cell(cells, at.observedAt),
      value: value === '' ? Number.NaN : Number(value),
      ...(unit ? { unit: unit.toLowerCase() as RawReading['unit'] } : {}),
      ...(interval ? { intervalMinutes: Number(interval) } : {}),
    };
  });
  return { encoding: table.encoding, rows, lines: data.map((d) => d.line) };
}

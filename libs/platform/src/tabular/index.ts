// Uploaded spreadsheets (CSV in UTF-8, GBK/GB18030 or UTF-16; XLSX) as rows of text cells, for
// every import: registry holders, public-warning contacts, gauge readings.
export { readTable } from './tabular-reader';
export type { Table, TableRow } from './table.types';
export { TableFileErrors, tableFileError } from './table-file.errors';

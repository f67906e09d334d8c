/** One non-blank row of a file, with the line (CSV) or row number (XLSX) the user sees. */
export interface TableRow {
  line: number;
  cells: string[];
}

/** An uploaded spreadsheet as rows of text cells (readTable). */
export interface Table {
  format: 'csv' | 'xlsx';
  /** How the CSV text was encoded; XLSX is always UTF-8 inside. */
  encoding: 'utf-8' | 'gb18030' | 'utf-16le';
  rows: TableRow[];
}

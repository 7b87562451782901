// Reading a department's file (CSV or XLSX) row by row, as header → text, with its line number: the one reader for
// assistance reports (data/import/assistance.ts) and, later, monitoring datasets. Parsing is exceljs's — its CSV
// reader (fast-csv inside) and its streaming XLSX reader; cells are kept as text so an ID number never becomes a
// floating-point number on the way.
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

export const FILE_FORMATS = ['csv', 'xlsx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export interface FileRow {
  /** 1-based line (CSV) or row number (XLSX) in the file, the header being line 1. */
  line: number;
  cells: Record<string, string>;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The format of a file by its name, else by its content type. */
export function formatOf(fileName?: string, contentType?: string): FileFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'xlsx') return ext;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  if (type === XLSX_TYPE) return 'xlsx';
  return undefined;
}

/** Text of one cell: dates as YYYY-MM-DD, rich text and hyperlinks as their text, formulas as their result. */
export function cellText(v: unknown): string {
  if (v == null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    if (o.error) return '';
  }
  // An 18-digit ID number typed into a number cell has lost its last digits already: the check character says so.
  return String(v);
}

function header(values: unknown[]): string[] {
  return values.map((v, i) =>
    i === 0
      ? ''
      : cellText(v)
          .replace(/^\uFEFF/, '')
          .trim(),
  );
}

function toRow(names: string[], values: unknown[], line: number): FileRow | undefined {
  const cells: Record<string, string> = {};
  let any = false;
  for (let i = 1; i < names.length; i++) {
    if (!names[i]) continue;
    const text = cellText(values[i]);
    cells[names[i]] = text;
    if (text.trim() !== '') any = true;
  }
  return any ? { line, cells } : undefined; // blank lines are no rows
}

/**
 * The rows of the file after its header line. `size` (bytes) lets XLSX report progress by bytes read; CSV reports by
 * rows once parsed. Only the first worksheet of a workbook is read.
 */
export async function* readDepartmentFile(
  input: Readable,
  format: FileFormat,
  onProgress?: (fraction: number) => void,
  size?: number,
): AsyncGenerator<FileRow> {
  if (format === 'csv') {
    const sheet = await new ExcelJS.Workbook().csv.read(input, { map: (d: unknown) => d } as never);
    const names = header(sheet.getRow(1).values as unknown[]);
    const total = sheet.rowCount;
    for (let i = 2; i <= total; i++) {
      const row = toRow(names, sheet.getRow(i).values as unknown[], i);
      if (row) yield row;
      if (onProgress && i % 1000 === 0) onProgress(i / total);
    }
    onProgress?.(1);
    return;
  }
  let read = 0;
  if (onProgress && size) input.on('data', (chunk: Buffer) => (read += chunk.length));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // date cells are numbers with a date style: the style says to read them as dates
  });
  for await (const sheet of reader) {
    let names: string[] | undefined;
    for await (const row of sheet) {
      const values = row.values as unknown[];
      if (!names) {
        names = header(values);
        continue;
      }
      const r = toRow(names, values, row.number);
      if (r) yield r;
      if (onProgress && size && row.number % 1000 === 0) onProgress(Math.min(read / size, 0.99));
    }
    break;
  }
  onProgress?.(1);
}

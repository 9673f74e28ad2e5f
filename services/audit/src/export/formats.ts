export type ExportFormat = 'json_lines' | 'csv';

/** What the GraphQL Export type carries: a file, whole, with its name and type. */
export interface ExportFile {
  readonly filename: string;
  readonly contentType: string;
  readonly rows: number;
  readonly content: string;
}

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = { json_lines: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' };
export const EXTENSIONS: Readonly<Record<ExportFormat, string>> = { json_lines: 'jsonl', csv: 'csv' };

export type Cell = string | number | boolean | null;

/** RFC 4180: a field is quoted when it holds a comma, quote, CR or LF; quotes are doubled. Lines end in CRLF. */
export function csvLine(cells: readonly Cell[]): string {
  return `${cells
    .map((cell) => {
      if (cell === null) return '';
      const text = String(cell);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}

/** A record as lines of a file: a header and rows for CSV (objects and arrays as JSON text), one JSON object per line otherwise. */
export class RecordWriter<Row extends Record<string, unknown>> {
  constructor(
    private readonly format: ExportFormat,
    private readonly columns: readonly (keyof Row & string)[],
  ) {}

  header(): string {
    return this.format === 'csv' ? csvLine(this.columns) : '';
  }

  line(row: Row): string {
    if (this.format === 'json_lines') return `${JSON.stringify(Object.fromEntries(this.columns.map((column) => [column, row[column] ?? null])))}\n`;
    return csvLine(
      this.columns.map((column) => {
        const value = row[column];
        if (value === undefined || value === null) return null;
        if (typeof value === 'object') return JSON.stringify(value);
        return value as Cell;
      }),
    );
  }
}

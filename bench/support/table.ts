/** A benchmark's result: a Markdown table and notes, printed and written to bench/results/<date>.md. */
export interface BenchTable {
  readonly title: string;
  readonly goal?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
  readonly notes?: readonly string[];
}

export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return '–';
  const decimals = digits ?? (Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export const ms = (value: number) => (Number.isFinite(value) ? `${formatNumber(value, value < 10 ? 2 : 1)} ms` : '–');
export const perSecond = (value: number) => `${formatNumber(value, 0)}/s`;
export const ratio = (value: number) => (Number.isFinite(value) ? `${formatNumber(value, 2)}×` : '–');
export const mb = (bytes: number) => `${formatNumber(bytes / 1_048_576, 1)} MB`;

export function renderTable(table: BenchTable): string {
  const cell = (value: string | number | null) => (value === null ? '–' : typeof value === 'number' ? formatNumber(value) : value);
  const lines = [
    `## ${table.title}`,
    '',
    ...(table.goal ? [`Goal: ${table.goal}`, ''] : []),
    `| ${table.columns.join(' | ')} |`,
    `|${table.columns.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  if (table.notes?.length) lines.push('', ...table.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}

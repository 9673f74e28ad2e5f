import { appError } from '@koppelstuk/service-kit';
import { CONTENT_TYPES, EXTENSIONS, RecordWriter, type ExportFile, type ExportFormat } from './formats';

/** GraphQL answers carry the whole file; larger ones are the CLI's job (it streams to a file). */
export const MAX_EXPORT_ROWS = 50_000;

export async function collectExport<Row extends Record<string, unknown>>(
  name: string,
  format: ExportFormat,
  columns: readonly (keyof Row & string)[],
  rows: AsyncIterable<Row> | Iterable<Row>,
): Promise<ExportFile> {
  const writer = new RecordWriter<Row>(format, columns);
  const parts = [writer.header()];
  let count = 0;
  for await (const row of rows) {
    if (++count > MAX_EXPORT_ROWS) {
      throw appError('BAD_USER_INPUT', `More than ${MAX_EXPORT_ROWS} rows: narrow the period, or use the koppelstuk-audit export command`);
    }
    parts.push(writer.line(row));
  }
  return { filename: `${name}.${EXTENSIONS[format]}`, contentType: CONTENT_TYPES[format], rows: count, content: parts.join('') };
}

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { EXPORTED_EVENT_COLUMNS, exportedEvents, type ExportedEvent } from '../../export/event-export';
import { RecordWriter, type ExportFormat } from '../../export/formats';
import { withConnection } from '../connection';
import { EXIT, usageError, type ExitCode } from '../exit-codes';
import { parseInstant, type Io } from '../io';
import { progressBar } from '../progress';

export interface ExportCommandOptions {
  readonly from?: string;
  readonly to?: string;
  readonly format?: string;
  readonly out?: string;
}

const FORMATS: Readonly<Record<string, ExportFormat>> = { jsonl: 'json_lines', json_lines: 'json_lines', csv: 'csv' };

/** `export`: the events recorded in a period with their chain hashes, streamed to a file or standard output. */
export async function exportCommand(options: ExportCommandOptions, io: Io): Promise<ExitCode> {
  const format = FORMATS[options.format ?? 'jsonl'];
  if (!format) throw usageError(`--format is jsonl or csv, not "${options.format}"`);
  const range = { from: parseInstant(options.from, '--from', 'start') ?? null, to: parseInstant(options.to, '--to', 'end') ?? null };
  return withConnection(io.env, async (connection) => {
    const [count] = (await connection.dataSource.query(
      `select count(*)::int as n from audit.chain where ($1::timestamptz is null or recorded_at >= $1) and ($2::timestamptz is null or recorded_at <= $2)`,
      [range.from, range.to],
    )) as { n: number }[];
    const file = options.out ? createWriteStream(options.out) : null;
    const write = async (text: string) => {
      if (!file) return io.out(text);
      if (!file.write(text)) await once(file, 'drain');
    };
    const writer = new RecordWriter<ExportedEvent>(format, EXPORTED_EVENT_COLUMNS);
    const bar = progressBar('export', count?.n ?? 0, io.interactive && file !== null);
    let rows = 0;
    try {
      await write(writer.header());
      for await (const event of exportedEvents(connection.store, connection.dataSource, range)) {
        await write(writer.line(event));
        if (++rows % 500 === 0) bar.update(rows);
      }
    } finally {
      bar.stop();
      if (file) await close(file);
    }
    io.err(`Exported ${rows} events${options.out ? ` to ${options.out}` : ''}\n`);
    return EXIT.ok;
  });
}

async function close(file: WriteStream): Promise<void> {
  file.end();
  await once(file, 'close');
}

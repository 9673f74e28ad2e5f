import { readFileSync, writeFileSync } from 'node:fs';
import type { TableSnapshot } from './table-snapshot';

export const READ_MODEL_FORMAT = 'koppelstuk-read-model/1';

/**
 * A read model's tables written to a file: what a replay produced (e.g. the figures as filed on a date), to be
 * compared with a later replay. It records the as-of date and the last log position the rows reflect, so the
 * later replay reads exactly the same events even after the log has grown.
 */
export interface ReadModelFile {
  readonly format: typeof READ_MODEL_FORMAT;
  readonly projection: string;
  readonly asOf: string | null;
  /** "commit/prepare" of the last event applied, or null when none was. */
  readonly position: string | null;
  readonly createdAt: string;
  readonly tables: readonly TableSnapshot[];
}

export class ReadModelFileError extends Error {}

export function writeReadModelFile(path: string, file: ReadModelFile): void {
  writeFileSync(path, `${JSON.stringify(file, null, 1)}\n`);
}

export function readReadModelFile(path: string): ReadModelFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReadModelFileError(`${path} is not a readable JSON file: ${(error as Error).message}`);
  }
  const file = parsed as Partial<ReadModelFile> | null;
  if (!file || file.format !== READ_MODEL_FORMAT || typeof file.projection !== 'string' || !Array.isArray(file.tables)) {
    throw new ReadModelFileError(`${path} is not a read-model file (format ${READ_MODEL_FORMAT}) written by a replay`);
  }
  for (const table of file.tables) {
    if (typeof table?.table !== 'string' || !Array.isArray(table.rows) || !Array.isArray(table.columns) || !Array.isArray(table.primaryKey)) {
      throw new ReadModelFileError(`${path} has a malformed table entry`);
    }
  }
  return file as ReadModelFile;
}

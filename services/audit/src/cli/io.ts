import { usageError } from './exit-codes';

/** Where a command writes, and what it may assume about the terminal: injected, so tests can run the program whole. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress bars only on a terminal. */
  readonly interactive: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** A chain sequence given on the command line. */
export function parseSequence(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw usageError(`${option} takes a chain sequence: a whole number of at least 1, not "${value}"`);
  return Number(value);
}

/**
 * An instant (ISO 8601 with a time zone) or a calendar date. A date means the end of that day in UTC when it
 * closes a period ("as filed on 31 March" includes the whole day), and its start when it opens one.
 */
export function parseInstant(value: string | undefined, option: string, dateMeans: 'start' | 'end'): Date | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Date(`${value}T${dateMeans === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  throw usageError(`${option} takes a date (2026-03-31) or an instant with its time zone (2026-03-31T17:00:00Z), not "${value}"`);
}

/**
 * A place in the global log. Global order is by `commit`, then by `prepare`.
 *
 * KurrentDB gives both numbers natively. The PostgreSQL adapter uses the appending transaction's id as
 * `commit` and the row's sequence number as `prepare`: ordering by transaction first is what lets a reader
 * never skip an event that a slower transaction commits late (see postgres/README.md).
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `"<commit>/<prepare>"`, stable and readable; used for checkpoints, cursors and audit reports. */
export function formatPosition(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

export function parsePosition(text: string): Position {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(text.trim());
  if (!match) {
    throw new RangeError(`"${text}" is not a log position; expected "<commit>/<prepare>", e.g. "1042/17"`);
  }
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
}

import type { Row, TableSnapshot } from './table-snapshot';

export interface ColumnDifference {
  readonly column: string;
  readonly live: string | null;
  readonly replayed: string | null;
}

/**
 * `missing`: the replay produces the row, the live read model lacks it. `extra`: the live read model has a
 * row no event explains. `changed`: both have it (same primary key) with different values.
 */
export type RowDifference =
  | { readonly kind: 'missing'; readonly table: string; readonly key: Row; readonly replayed: Row }
  | { readonly kind: 'extra'; readonly table: string; readonly key: Row; readonly live: Row }
  | { readonly kind: 'changed'; readonly table: string; readonly key: Row; readonly columns: readonly ColumnDifference[] };

export interface TableComparison {
  readonly table: string;
  readonly liveRows: number;
  readonly replayedRows: number;
  readonly differences: readonly RowDifference[];
}

/** Row by row, by primary key (a table without one is compared as a multiset of whole rows). */
export function compareTables(live: TableSnapshot, replayed: TableSnapshot): TableComparison {
  const keyColumns = replayed.primaryKey.length > 0 ? replayed.primaryKey : null;
  const differences = keyColumns ? compareByKey(live, replayed, keyColumns) : compareAsMultiset(live, replayed);
  return { table: replayed.table, liveRows: live.rows.length, replayedRows: replayed.rows.length, differences };
}

function compareByKey(live: TableSnapshot, replayed: TableSnapshot, keyColumns: readonly string[]): RowDifference[] {
  const keyOf = (row: Row) => JSON.stringify(keyColumns.map((column) => row[column] ?? null));
  const pick = (row: Row): Row => Object.fromEntries(keyColumns.map((column) => [column, row[column] ?? null]));
  const liveRows = new Map(live.rows.map((row) => [keyOf(row), row]));
  const columns = [...new Set([...replayed.columns, ...live.columns])];
  const differences: RowDifference[] = [];
  for (const row of replayed.rows) {
    const key = keyOf(row);
    const other = liveRows.get(key);
    if (!other) {
      differences.push({ kind: 'missing', table: replayed.table, key: pick(row), replayed: row });
      continue;
    }
    liveRows.delete(key);
    const changed = columns
      .filter((column) => (other[column] ?? null) !== (row[column] ?? null))
      .map((column) => ({ column, live: other[column] ?? null, replayed: row[column] ?? null }));
    if (changed.length > 0) differences.push({ kind: 'changed', table: replayed.table, key: pick(row), columns: changed });
  }
  for (const row of liveRows.values()) differences.push({ kind: 'extra', table: replayed.table, key: pick(row), live: row });
  return differences;
}

function compareAsMultiset(live: TableSnapshot, replayed: TableSnapshot): RowDifference[] {
  const columns = [...new Set([...replayed.columns, ...live.columns])];
  const keyOf = (row: Row) => JSON.stringify(columns.map((column) => row[column] ?? null));
  const counts = new Map<string, { row: Row; balance: number }>();
  for (const row of replayed.rows) {
    const entry = counts.get(keyOf(row)) ?? { row, balance: 0 };
    entry.balance += 1;
    counts.set(keyOf(row), entry);
  }
  for (const row of live.rows) {
    const entry = counts.get(keyOf(row)) ?? { row, balance: 0 };
    entry.balance -= 1;
    counts.set(keyOf(row), entry);
  }
  const differences: RowDifference[] = [];
  for (const { row, balance } of counts.values()) {
    for (let i = 0; i < Math.abs(balance); i++) {
      differences.push(balance > 0 ? { kind: 'missing', table: replayed.table, key: row, replayed: row } : { kind: 'extra', table: replayed.table, key: row, live: row });
    }
  }
  return differences;
}

/** One line per difference, for people (the CLI prints these). */
export function describeDifference(difference: RowDifference): string {
  const key = Object.entries(difference.key)
    .map(([column, value]) => `${column}=${value ?? 'null'}`)
    .join(', ');
  switch (difference.kind) {
    case 'missing':
      return `${difference.table} [${key}]: missing from the live read model (the events produce it)`;
    case 'extra':
      return `${difference.table} [${key}]: extra in the live read model (no event produces it)`;
    case 'changed':
      return `${difference.table} [${key}]: changed: ${difference.columns
        .map((column) => `${column.column} live=${column.live ?? 'null'} replayed=${column.replayed ?? 'null'}`)
        .join('; ')}`;
  }
}

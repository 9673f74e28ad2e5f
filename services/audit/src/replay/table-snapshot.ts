import type { DataSource, QueryRunner } from 'typeorm';

/** Column values as PostgreSQL's text output (exact for numeric, jsonb and UTC timestamps): compared as text. */
export type Row = Readonly<Record<string, string | null>>;

/** A table's rows, ordered by primary key (or by every column when it has none). */
export interface TableSnapshot {
  readonly table: string;
  /** Empty when the table has no primary key: rows are then compared as a multiset. */
  readonly primaryKey: readonly string[];
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/**
 * Reads tables in one repeatable-read transaction with the session in UTC, so that a snapshot is one
 * consistent moment and its text never depends on the server's time zone setting. `alongside` runs in the
 * same transaction (e.g. reading the projection's checkpoint, which then matches the rows exactly).
 */
export async function snapshotTables<Extra = undefined>(
  dataSource: DataSource,
  schema: string,
  tables: readonly string[],
  alongside?: (runner: QueryRunner) => Promise<Extra>,
): Promise<{ tables: TableSnapshot[]; extra: Extra | undefined }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    await runner.query(`set local time zone 'UTC'`);
    const extra = alongside ? await alongside(runner) : undefined;
    const snapshots: TableSnapshot[] = [];
    for (const table of tables) snapshots.push(await snapshotTable(runner, schema, table));
    await runner.commitTransaction();
    return { tables: snapshots, extra };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

async function snapshotTable(runner: QueryRunner, schema: string, table: string): Promise<TableSnapshot> {
  const relation = `${quote(schema)}.${quote(table)}`;
  const columns = ((await runner.query(
    `select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
    [relation],
  )) as { attname: string }[]).map((row) => row.attname);
  const primaryKey = ((await runner.query(
    `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`,
    [relation],
  )) as { attname: string }[]).map((row) => row.attname);
  const order = (primaryKey.length > 0 ? primaryKey : columns).map(quote).join(', ');
  const rows = (await runner.query(
    `select ${columns.map((column) => `${quote(column)}::text as ${quote(column)}`).join(', ')} from ${relation} order by ${order}`,
  )) as Row[];
  return { table, primaryKey, columns, rows };
}

export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** The one database call this library needs; a pg Pool or a TypeORM DataSource both fit with a line. */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** Wraps a TypeORM DataSource/EntityManager (whose query() returns rows) or a pg Pool (which returns a result). */
export function sqlExecutor(target: { query(sql: string, params?: unknown[]): Promise<unknown> }): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query(sql, [...params]);
      return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
    },
  };
}

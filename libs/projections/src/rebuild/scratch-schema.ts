import type { QueryRunner } from 'typeorm';
import type { SqlExecutor } from '../checkpoints/checkpoint-store';

/**
 * Creates empty copies of the live tables in the scratch schema (`like ... including all`: columns, defaults,
 * identity, constraints, indexes, comments). Refuses, before any replay, what a copy cannot carry over.
 */
export async function createScratchTables(sql: SqlExecutor, schema: string, scratch: string, tables: readonly string[]): Promise<void> {
  await assertCopyable(sql, schema, tables);
  await sql.query(`drop schema if exists ${scratch} cascade`);
  await sql.query(`create schema ${scratch}`);
  for (const table of tables) {
    await sql.query(`create table ${scratch}.${table} (like ${schema}.${table} including all)`);
  }
}

export async function dropScratchSchema(sql: SqlExecutor, scratch: string): Promise<void> {
  await sql.query(`drop schema if exists ${scratch} cascade`);
}

/**
 * Replaces the live tables by the rebuilt ones, in the caller's transaction: readers keep using the old
 * tables until it commits (the drop's exclusive lock makes new readers wait, then they see the new tables).
 * Index and constraint names are restored, so later migrations that name them still work.
 */
export async function swapTables(queryRunner: QueryRunner, schema: string, scratch: string, tables: readonly string[]): Promise<void> {
  const liveIndexes = await indexesOf(queryRunner, schema, tables);
  for (const table of tables) await queryRunner.query(`drop table ${schema}.${table}`);
  for (const table of tables) await queryRunner.query(`alter table ${scratch}.${table} set schema ${schema}`);
  await restoreIndexNames(queryRunner, schema, liveIndexes, await indexesOf(queryRunner, schema, tables));
  // Restrict, not cascade: anything still in the scratch schema is unexpected and must fail the switch.
  await queryRunner.query(`drop schema ${scratch}`);
}

interface IndexRow {
  table_name: string;
  index_name: string;
  /** pg_get_indexdef without the index's and the table's names, plus the constraint kind it backs. */
  shape: string;
}

async function indexesOf(sql: SqlExecutor, schema: string, tables: readonly string[]): Promise<IndexRow[]> {
  return (await sql.query(
    `select c.relname as table_name, i.relname as index_name,
            coalesce(con.contype::text, '') || ' ' || replace(pg_get_indexdef(i.oid),
              'INDEX ' || quote_ident(i.relname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
              'INDEX ON') as shape
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_class c on c.oid = x.indrelid
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_constraint con on con.conindid = i.oid and con.conrelid = c.oid
      where n.nspname = $1 and c.relname = any($2::text[])
      order by c.relname, i.relname`,
    [schema, tables],
  )) as IndexRow[];
}

/** Renames each rebuilt index (and the constraint it backs) to the name its live counterpart had. */
async function restoreIndexNames(queryRunner: QueryRunner, schema: string, before: IndexRow[], after: IndexRow[]): Promise<void> {
  const wanted = new Map<string, string[]>();
  for (const row of before) {
    const key = `${row.table_name}|${row.shape}`;
    wanted.set(key, [...(wanted.get(key) ?? []), row.index_name]);
  }
  const renames: { from: string; to: string }[] = [];
  for (const row of after) {
    const names = wanted.get(`${row.table_name}|${row.shape}`);
    const to = names?.shift();
    if (to && to !== row.index_name) renames.push({ from: row.index_name, to });
  }
  // Two steps, because a generated name may be the old name of another index.
  for (const [index, rename] of renames.entries()) {
    await queryRunner.query(`alter index ${schema}.${quote(rename.from)} rename to ${quote(`kppj_swap_${index}`)}`);
  }
  for (const [index, rename] of renames.entries()) {
    await queryRunner.query(`alter index ${schema}.${quote(`kppj_swap_${index}`)} rename to ${quote(rename.to)}`);
  }
}

async function assertCopyable(sql: SqlExecutor, schema: string, tables: readonly string[]): Promise<void> {
  const problems = (await sql.query(
    `with owned as (
       select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = any($2::text[]) and c.relkind in ('r', 'p'))
     select format('table %s.%s does not exist', $1::text, t) as problem
       from unnest($2::text[]) t where t not in (select relname from owned)
     union all
     select format('%s has a foreign key (%s), which "like" does not copy', c.conrelid::regclass, c.conname)
       from pg_constraint c where c.contype = 'f' and (c.conrelid in (select oid from owned) or c.confrelid in (select oid from owned))
     union all
     select format('%s.%s.%s defaults to a sequence of the live table (serial); use an identity column', $1::text, o.relname, a.attname)
       from owned o join pg_attrdef d on d.adrelid = o.oid
       join pg_attribute a on a.attrelid = o.oid and a.attnum = d.adnum
      where pg_get_expr(d.adbin, d.adrelid) like 'nextval(%'
     union all
     select distinct format('view %s depends on %s', r.ev_class::regclass, o.relname)
       from owned o join pg_depend d on d.refobjid = o.oid and d.classid = 'pg_rewrite'::regclass
       join pg_rewrite r on r.oid = d.objid where r.ev_class <> o.oid`,
    [schema, tables],
  )) as { problem: string }[];
  if (problems.length > 0) {
    throw new Error(`Cannot rebuild into fresh copies of ${schema}.{${tables.join(', ')}}: ${problems.map((p) => p.problem).join('; ')}`);
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

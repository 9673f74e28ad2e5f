import { Pool } from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { PostgresEventStore, type Position } from '@koppelstuk/event-store';
import { inboxProjection, InboxTables1764000000200 } from '@koppelstuk/inbox-read-model';
import { outcomesProjection, OutcomeStatisticsTables1764000000400 } from '@koppelstuk/outcome-statistics';
import { projectionsMigration, ProjectionRunner, type ProjectionDefinition, type ProjectionLogger } from '@koppelstuk/projections';
import type { BenchContext } from '../support/context';
import type { MixDatabase } from '../support/mix';
import { withCpuProfile } from '../support/profile';
import { rate } from '../support/stats';
import { formatNumber, perSecond, ratio, type BenchTable } from '../support/table';

const quietLogger: ProjectionLogger = { info: () => undefined, warn: () => undefined, error: (message) => process.stderr.write(`${message}\n`) };
/** Rows per statement in the baseline's bulk upsert, and events per page of its raw SELECT. */
const BASELINE_CHUNK = 500;

interface Measured {
  readonly projection: string;
  readonly events: number;
  readonly catchUpMs: number;
  readonly rebuildMs: number;
  readonly rebuildEvents: number;
  readonly selectMs: number;
  readonly upsertMs: number;
  readonly rows: number;
}

/**
 * 100,000 events of the realistic mix into the inbox and the outcomes read models: the ProjectionRunner
 * catching up from zero, then rebuild() (replay into fresh tables while serving, then swap). Baseline on
 * the same server: a raw SELECT of the same events (keyset pages, rows parsed into objects, as a reader
 * must), plus a bulk upsert of the same read-model rows into empty copies of the tables.
 */
export async function rebuildBenchmark(context: BenchContext, mix: MixDatabase): Promise<BenchTable> {
  const url = mix.database.url;
  const results: Measured[] = [];
  for (const [projection, migration] of [
    [inboxProjection, InboxTables1764000000200],
    [outcomesProjection, OutcomeStatisticsTables1764000000400],
  ] as const) {
    results.push(await measureProjection(context, url, projection, migration));
  }
  const rows = results.flatMap((r) => {
    const baselineMs = r.selectMs + r.upsertMs;
    const baseline = rate(r.events, baselineMs);
    const catchUp = rate(r.events, r.catchUpMs);
    const rebuild = rate(r.rebuildEvents, r.rebuildMs);
    return [
      [`${r.projection}: runner from zero`, r.events, `${formatNumber(r.catchUpMs / 1000, 2)} s`, perSecond(catchUp), perSecond(baseline), ratio(catchUp / baseline)],
      [`${r.projection}: rebuild()`, r.rebuildEvents, `${formatNumber(r.rebuildMs / 1000, 2)} s`, perSecond(rebuild), perSecond(baseline), ratio(rebuild / baseline)],
    ];
  });
  return {
    title: '2. Projection rebuild',
    goal: '≥ 50,000 events/s and ≥ 0.3× the baseline',
    columns: ['what', 'events', 'time', 'events/s', 'baseline', 'ratio'],
    rows,
    notes: [
      `Log: ${formatNumber(mix.events, 0)} events of the realistic mix (libs/testing writeReferralMix, ${formatNumber(mix.referrals, 0)} referrals), ` +
        `written by ${mix.writers} concurrent writers on distinct referrals in ${formatNumber(mix.generationMs / 1000, 1)} s. ` +
        '"events" are the events each projection reads (its filter); inbox reads referral and subject events, outcomes only referral events.',
      ...results.map(
        (r) =>
          `Baseline ${r.projection}: raw SELECT of its ${formatNumber(r.events, 0)} events (log rows in pages of ${BASELINE_CHUNK}, its filter applied) ` +
          `${formatNumber(r.selectMs, 0)} ms (${perSecond(rate(r.events, r.selectMs))}) + bulk upsert of its ${formatNumber(r.rows, 0)} read-model rows ` +
          `${BASELINE_CHUNK} per statement ${formatNumber(r.upsertMs, 0)} ms (${perSecond(rate(r.rows, r.upsertMs))} rows).`,
      ),
      'Runner from zero: start() on an empty read model until waitForPosition(head) resolves. rebuild(): replay into scratch tables while the live ones serve, then the switch.',
    ],
  };
}

async function measureProjection(
  context: BenchContext,
  url: string,
  projection: ProjectionDefinition,
  migration: new () => MigrationInterface,
): Promise<Measured> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: [projectionsMigration, migration],
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: 4,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const store = await PostgresEventStore.connect({ connectionString: url, poolSize: 4, applicationName: `bench-rebuild-${projection.name}` });
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    const head = (await store.headPosition()) as Position;
    const runner = new ProjectionRunner({ store, dataSource, projection, logger: quietLogger });
    const { catchUpMs, events } = await withCpuProfile(context, `rebuild-${projection.name}-catch-up`, async () => {
      const started = performance.now();
      await runner.start();
      await runner.waitForPosition(head, 300_000);
      return { catchUpMs: performance.now() - started, events: runner.status().eventsApplied };
    });
    context.log(`rebuild ${projection.name}: caught up with ${events} events in ${Math.round(catchUpMs)} ms (${Math.round(rate(events, catchUpMs))}/s)`);
    const report = await withCpuProfile(context, `rebuild-${projection.name}-rebuild`, () => runner.rebuild());
    context.log(`rebuild ${projection.name}: rebuild() ${report.events} events in ${report.durationMs} ms (${report.eventsPerSecond}/s)`);
    await runner.stop();

    const selectMs = await rawSelect(pool, projection);
    const { upsertMs, rows } = await bulkUpsert(pool, projection);
    context.log(`rebuild ${projection.name}: baseline select ${Math.round(selectMs)} ms, upsert of ${rows} rows ${Math.round(upsertMs)} ms`);
    return { projection: projection.name, events, catchUpMs, rebuildMs: report.durationMs, rebuildEvents: report.events, selectMs, upsertMs, rows };
  } finally {
    await store.close();
    await pool.end();
    await dataSource.destroy();
  }
}

/** The projection's events, by the same filter and in the same order, as plainly as SQL allows. */
async function rawSelect(pool: Pool, projection: ProjectionDefinition): Promise<number> {
  const prefixes = projection.filter?.streamPrefixes ?? [''];
  const types = projection.filter?.eventTypes ?? null;
  const started = performance.now();
  let after: [string, string] = ['0', '0'];
  for (;;) {
    // The next BASELINE_CHUNK rows of the log by its index, filtered: a plan that cannot degrade into sorting
    // everything after the cursor for each page (what "order by … limit" with the filter beside it may become).
    const { rows } = await pool.query<{ txid: string; position: string; matches: boolean }>(
      `select w.transaction_id::text as txid, w.position, w.event_id, w.stream_name, w.stream_revision, w.event_type,
              w.stream_name ^@ any($3::text[]) and ($4::text[] is null or w.event_type = any($4::text[])) as matches,
              case when w.stream_name ^@ any($3::text[]) and ($4::text[] is null or w.event_type = any($4::text[])) then w.data end as data,
              case when w.stream_name ^@ any($3::text[]) and ($4::text[] is null or w.event_type = any($4::text[])) then w.metadata end as metadata,
              w.recorded_at
         from (select * from event_store.events e where (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
                order by e.transaction_id, e.position limit $5) w
        order by w.transaction_id, w.position`,
      [after[0], after[1], prefixes, types, BASELINE_CHUNK],
    );
    const last = rows[rows.length - 1];
    if (!last) break;
    after = [last.txid, last.position];
    if (rows.length < BASELINE_CHUNK) break;
  }
  return performance.now() - started;
}

/** The read model's final rows, upserted into empty copies of its tables, BASELINE_CHUNK rows per statement. */
async function bulkUpsert(pool: Pool, projection: ProjectionDefinition): Promise<{ upsertMs: number; rows: number }> {
  const copy = `bench_copy_${projection.schema}`;
  await pool.query(`drop schema if exists ${copy} cascade; create schema ${copy}`);
  const tables: { table: string; rows: unknown[]; sql: string }[] = [];
  for (const table of projection.tables) {
    await pool.query(`create table ${copy}.${table} (like ${projection.schema}.${table} including all)`);
    const { rows: keyRows } = await pool.query<{ column: string }>(
      `select a.attname as column from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = $1::regclass and i.indisprimary`,
      [`${projection.schema}.${table}`],
    );
    const { rows: columnRows } = await pool.query<{ column: string }>(
      `select attname as column from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
      [`${projection.schema}.${table}`],
    );
    const keys = keyRows.map((r) => r.column);
    const others = columnRows.map((r) => r.column).filter((c) => !keys.includes(c));
    const { rows } = await pool.query(`select * from ${projection.schema}.${table}`);
    tables.push({
      table,
      rows,
      sql: `insert into ${copy}.${table} select * from jsonb_populate_recordset(null::${copy}.${table}, $1::jsonb)
            on conflict (${keys.join(', ')}) do update set ${others.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    });
  }
  const started = performance.now();
  let count = 0;
  for (const { rows, sql } of tables) {
    for (let i = 0; i < rows.length; i += BASELINE_CHUNK) {
      const chunk = rows.slice(i, i + BASELINE_CHUNK);
      await pool.query(sql, [JSON.stringify(chunk)]);
      count += chunk.length;
    }
  }
  const upsertMs = performance.now() - started;
  await pool.query(`drop schema ${copy} cascade`);
  return { upsertMs, rows: count };
}

import { defaultTestServer, type TestServer } from '@koppelstuk/database';
import { comparePositions, type EventStore, type Position } from '@koppelstuk/event-store';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { ProjectionRunner } from '../runner/projection-runner';
import type { ProjectionRunnerOptions } from '../runner/runner-options';
import { tableDigests } from '../testing/crash-harness';
import { appendLedgerEvents, ledgerMigrations, ledgerProjection, seededRandom } from '../testing/ledger-projection';
import { createTestBed, memoryLogger, type TestBed } from '../testing/test-environment';

const LEDGER_TABLES = ['accounts', 'applied_events'];

/** The balances the ledger must hold, computed straight from the log. */
async function expectedBalances(store: EventStore, depositFactor: number): Promise<Record<string, number>> {
  const balances: Record<string, number> = {};
  for await (const event of store.readAll({ filter: { streamPrefixes: ['account-'] } })) {
    const amount = typeof event.data['amount'] === 'number' ? event.data['amount'] : 0;
    const change = event.type === 'Deposited' ? amount * depositFactor : event.type === 'Withdrawn' ? -amount : 0;
    balances[event.stream] = (balances[event.stream] ?? 0) + change;
  }
  return balances;
}

async function actualBalances(dataSource: DataSource): Promise<Record<string, number>> {
  const rows = (await dataSource.query('select stream, balance::int as balance from ledger.accounts')) as { stream: string; balance: number }[];
  return Object.fromEntries(rows.map((row) => [row.stream, row.balance]));
}

async function schemaObjectNames(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query(
    `select 'index ' || indexname as name from pg_indexes where schemaname = 'ledger'
     union all select 'constraint ' || conname from pg_constraint where connamespace = 'ledger'::regnamespace
     order by 1`,
  )) as { name: string }[];
  return rows.map((row) => row.name);
}

describe('ProjectionRunner.rebuild', () => {
  let server: TestServer;
  const beds: TestBed[] = [];
  const runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    server = await defaultTestServer();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await Promise.all(beds.splice(0).map((bed) => bed.dispose()));
  });
  afterAll(async () => {
    await server.stop();
  });

  async function bed(migrations: readonly (new () => MigrationInterface)[] = ledgerMigrations): Promise<TestBed> {
    const created = await createTestBed(server, 'rebuild', migrations);
    beds.push(created);
    return created;
  }

  async function started(options: ProjectionRunnerOptions): Promise<ProjectionRunner> {
    const runner = new ProjectionRunner({ logger: memoryLogger(), retryBaseMs: 5, standbyRetryMs: 100, ...options });
    runners.push(runner);
    await runner.start();
    return runner;
  }

  it('rebuilds into fresh tables while the live ones keep answering, and swaps in identical tables', async () => {
    const testBed = await bed();
    const dataSource = await testBed.dataSource();
    const last = await appendLedgerEvents(testBed.store, { events: 5000, streams: 300, random: seededRandom(10) });
    const runner = await started({ store: testBed.store, dataSource, projection: ledgerProjection() });
    await runner.waitForPosition(last, 30_000);
    const before = await tableDigests(testBed.database.url, 'ledger', LEDGER_TABLES);
    const namesBefore = await schemaObjectNames(dataSource);
    const readQuery = 'select count(*)::int as accounts, sum(balance)::text as total, (select count(*)::int from ledger.applied_events) as applied from ledger.accounts';
    const [expected] = (await dataSource.query(readQuery)) as unknown[];

    // A reader keeps querying the live tables during the whole rebuild.
    const reads: unknown[] = [];
    const errors: unknown[] = [];
    let rebuilding = true;
    const reader = (async () => {
      while (rebuilding) {
        try {
          const [row] = (await dataSource.query(readQuery)) as unknown[];
          reads.push(row);
        } catch (error) {
          errors.push(error);
        }
      }
    })();
    const report = await runner.rebuild();
    rebuilding = false;
    await reader;

    expect(errors).toEqual([]);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((row) => JSON.stringify(row) === JSON.stringify(expected))).toBe(true);
    expect(await tableDigests(testBed.database.url, 'ledger', LEDGER_TABLES)).toEqual(before);
    expect(await schemaObjectNames(dataSource)).toEqual(namesBefore);
    expect(await dataSource.query(`select to_regnamespace('ledger_rebuild') as scratch`)).toEqual([{ scratch: null }]);
    expect(await dataSource.query(`select name from projections.checkpoints order by name`)).toEqual([{ name: 'ledger' }]);
    expect(report.events).toBe(5000);
    expect(report.eventsPerSecond).toBeGreaterThan(0);
    expect(runner.status()).toMatchObject({ state: 'active', eventsApplied: 5000, checkpoint: last });
    process.stdout.write(`rebuild of 5,000 events: ${report.durationMs} ms, ${report.eventsPerSecond} events/s (${server.kind} PostgreSQL)\n`);
  });

  it('shows changed projection logic after a rebuild, with events arriving throughout', async () => {
    const testBed = await bed();
    const dataSource = await testBed.dataSource();
    await appendLedgerEvents(testBed.store, { events: 2000, streams: 100, random: seededRandom(11) });
    let factor = 1;
    const runner = await started({ store: testBed.store, dataSource, projection: ledgerProjection({ depositFactor: () => factor }) });
    const head = (await testBed.store.headPosition()) as Position;
    await runner.waitForPosition(head, 30_000);
    expect(await actualBalances(dataSource)).toEqual(await expectedBalances(testBed.store, 1));

    factor = 2;
    const [report, last] = await Promise.all([
      runner.rebuild(),
      appendLedgerEvents(testBed.store, { events: 600, streams: 100, concurrency: 3, random: seededRandom(12) }),
    ]);
    await runner.waitForPosition(last, 30_000);
    expect(report.events).toBeGreaterThanOrEqual(2000);
    expect(await actualBalances(dataSource)).toEqual(await expectedBalances(testBed.store, 2));
    const [counts] = (await dataSource.query(
      'select count(*)::int as total, count(distinct event_id)::int as distinct from ledger.applied_events',
    )) as unknown[];
    expect(counts).toEqual({ total: 2600, distinct: 2600 });
    expect(runner.status()).toMatchObject({ state: 'active', eventsApplied: 2600 });
    expect(comparePositions(runner.status().checkpoint as Position, last)).toBeGreaterThanOrEqual(0);
  });

  it('is refused by a standby, and twice at once', async () => {
    const testBed = await bed();
    const active = await started({ ...(await testBed.instance()), projection: ledgerProjection() });
    const standby = await started({ ...(await testBed.instance()), projection: ledgerProjection() });
    expect(standby.status().state).toBe('standby');
    await expect(standby.rebuild()).rejects.toThrow(/only be rebuilt by its active runner; this one is standby/);
    const first = active.rebuild();
    await expect(active.rebuild()).rejects.toThrow(/already running/);
    await expect(first).resolves.toMatchObject({ events: 0 });
  });

  it('refuses, before replaying anything, tables a copy cannot reproduce, and keeps serving', async () => {
    class SerialReadModel1767225600003 implements MigrationInterface {
      readonly name = 'SerialReadModel1767225600003';
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query('create schema numbered');
        await queryRunner.query('create table numbered.rows (id serial primary key, event_id uuid not null)');
      }
      async down(): Promise<void> {
        return undefined;
      }
    }
    const testBed = await bed([SerialReadModel1767225600003]);
    const dataSource = await testBed.dataSource();
    const runner = await started({
      store: testBed.store,
      dataSource,
      projection: {
        name: 'numbered',
        schema: 'numbered',
        tables: ['rows'],
        apply: async (events, { manager, schema }) => {
          await manager.query(`insert into ${schema}.rows (event_id) select unnest($1::uuid[])`, [events.map((e) => e.id)]);
        },
      },
    });
    await expect(runner.rebuild()).rejects.toThrow(/numbered.rows.id defaults to a sequence of the live table \(serial\)/);
    const last = await appendLedgerEvents(testBed.store, { events: 10, streams: 2, random: seededRandom(13) });
    await runner.waitForPosition(last, 30_000);
    expect(await dataSource.query('select count(*)::int as n from numbered.rows')).toEqual([{ n: 10 }]);
    expect(await dataSource.query(`select to_regnamespace('numbered_rebuild') as scratch`)).toEqual([{ scratch: null }]);
  });
});

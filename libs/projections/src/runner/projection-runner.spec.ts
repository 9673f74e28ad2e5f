import { randomUUID } from 'node:crypto';
import { defaultTestServer, type TestServer } from '@koppelstuk/database';
import { comparePositions, type EventStore, type NewEvent, type Position } from '@koppelstuk/event-store';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import type { ProjectionDefinition } from '../projection';
import { appendLedgerEvents, ledgerMigrations, ledgerProjection, seededRandom } from '../testing/ledger-projection';
import { createTestBed, eventually, memoryLogger, type TestBed } from '../testing/test-environment';
import { ProjectionRunner } from './projection-runner';
import type { ProjectionRunnerOptions } from './runner-options';

/** A read model that can only hold each event once: applying a batch twice would violate the primary key. */
class CounterReadModel1767225600002 implements MigrationInterface {
  readonly name = 'CounterReadModel1767225600002';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create schema counter');
    await queryRunner.query('create table counter.applied (event_id uuid primary key, runner text not null)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop schema counter cascade');
  }
}

function counterProjection(runnerLabel: string): ProjectionDefinition {
  return {
    name: 'counter',
    schema: 'counter',
    tables: ['applied'],
    async apply(events, { manager, schema }) {
      await manager.query(`insert into ${schema}.applied (event_id, runner) select unnest($1::uuid[]), $2`, [events.map((e) => e.id), runnerLabel]);
    },
  };
}

function testEvent(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'Counted',
    data: { n },
    metadata: { correlationId: `c-${n}`, causationId: null, actor: { userId: 'test', organisationId: null, roles: [] }, schemaVersion: 1 },
  };
}

async function allEventIds(store: EventStore, prefix?: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const event of store.readAll(prefix ? { filter: { streamPrefixes: [prefix] } } : {})) ids.push(event.id);
  return ids;
}

async function ledgerRows(dataSource: DataSource): Promise<{ total: number; distinct: number }> {
  const [row] = (await dataSource.query(
    'select count(*)::int as total, count(distinct event_id)::int as distinct from ledger.applied_events',
  )) as { total: number; distinct: number }[];
  return row ?? { total: -1, distinct: -1 };
}

describe('ProjectionRunner', () => {
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

  async function bed(migrations: readonly (new () => MigrationInterface)[], storeOptions = {}): Promise<TestBed> {
    const created = await createTestBed(server, 'projections', migrations, storeOptions);
    beds.push(created);
    return created;
  }

  function runner(options: ProjectionRunnerOptions): ProjectionRunner {
    const created = new ProjectionRunner({ logger: memoryLogger(), retryBaseMs: 5, standbyRetryMs: 100, ...options });
    runners.push(created);
    return created;
  }

  it('applies every event exactly once with two instances, and the standby takes over when the active one stops', async () => {
    const testBed = await bed([CounterReadModel1767225600002]);
    const first = await testBed.instance();
    const second = await testBed.instance();
    const a = runner({ ...first, projection: counterProjection('a'), batchSize: 50 });
    const b = runner({ ...second, projection: counterProjection('b'), batchSize: 50 });
    await a.start();
    await b.start();
    expect([a.status().state, b.status().state].sort()).toEqual(['active', 'standby']);
    const [active, standby] = a.status().state === 'active' ? [a, b] : [b, a];

    // 2,000 events from 8 concurrent writers over 40 streams; the active instance is stopped half-way.
    let last: Position | null = null;
    let next = 0;
    const writer = async () => {
      while (next < 2000) {
        const n = next++;
        const result = await testBed.store.append(`count-${n % 40}`, [testEvent(n)], { expectedRevision: 'any' });
        if (!last || comparePositions(result.position, last) > 0) last = result.position;
      }
    };
    const writing = Promise.all(Array.from({ length: 8 }, writer));
    await eventually('the active instance applied some events', () => active.status().eventsApplied >= 500);
    await active.stop();
    expect(active.status().state).toBe('stopped');
    await writing;
    await eventually('the standby took over', () => standby.status().state === 'active');
    const target = last as Position | null;
    if (!target) throw new Error('nothing was appended');
    await standby.waitForPosition(target, 30_000);

    const dataSource = await testBed.dataSource();
    const [counts] = (await dataSource.query(
      `select count(*)::int as total, count(distinct runner)::int as runners,
              (select events_applied::int from projections.checkpoints where name = 'counter') as checkpointed
         from counter.applied`,
    )) as { total: number; runners: number; checkpointed: number }[];
    expect(counts).toEqual({ total: 2000, runners: 2, checkpointed: 2000 });
    const applied = new Set(((await dataSource.query('select event_id from counter.applied')) as { event_id: string }[]).map((r) => r.event_id));
    expect(new Set(await allEventIds(testBed.store))).toEqual(applied);
    expect(standby.status().failure).toBeNull();
  });

  it('collects the events that are already there into batches of at most batchSize', async () => {
    const testBed = await bed(ledgerMigrations);
    const last = await appendLedgerEvents(testBed.store, { events: 1200, streams: 30, random: seededRandom(1) });
    const batches: number[] = [];
    const projection = ledgerProjection({ onBatch: (events) => void batches.push(events.length) });
    const live = runner({ store: testBed.store, dataSource: await testBed.dataSource(), projection, batchSize: 500 });
    await live.start();
    await live.waitForPosition(last, 30_000);
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(1200);
    expect(Math.max(...batches)).toBeLessThanOrEqual(500);
    // Whole pages are taken at once; only the store's page boundaries may split a batch.
    expect(batches.length).toBeLessThanOrEqual(6);
  });

  it('wakes on new events through the subscription, not by polling', async () => {
    // The store's fallback poll is ten minutes: only its LISTEN/NOTIFY wake-up can deliver within the bound.
    const testBed = await bed(ledgerMigrations, { fallbackPollMs: 600_000 });
    const live = runner({ store: testBed.store, dataSource: await testBed.dataSource(), projection: ledgerProjection() });
    await live.start();
    await eventually('the runner is idle on the empty log', () => live.status().state === 'active');
    for (let round = 0; round < 3; round++) {
      const position = await appendLedgerEvents(testBed.store, { events: 3, streams: 2, random: seededRandom(round) });
      await live.waitForPosition(position, 20_000);
    }
    expect(live.status().eventsApplied).toBe(9);
  });

  it('stops at a poison event with everything before it applied and nothing after it, and resumes once fixed', async () => {
    const testBed = await bed(ledgerMigrations);
    const last = await appendLedgerEvents(testBed.store, { events: 400, streams: 20, random: seededRandom(2) });
    const ids = await allEventIds(testBed.store, 'account-');
    const poisonIndex = 250;
    const poison = ids[poisonIndex] as string;
    const dataSource = await testBed.dataSource();
    const logger = memoryLogger();
    const failing = runner({
      store: testBed.store,
      dataSource,
      logger,
      projection: ledgerProjection({ failOn: (event) => event.id === poison }),
      batchSize: 100,
      maxAttempts: 3,
    });
    await failing.start();
    await expect(failing.waitForPosition(last, 30_000)).rejects.toThrow(poison);
    const status = failing.status();
    expect(status.state).toBe('failed');
    expect(status.failure).toEqual({ eventId: poison, message: expect.stringContaining(`ledger cannot apply event ${poison}`) });
    expect(status.eventsApplied).toBe(poisonIndex);
    const applied = ((await dataSource.query('select event_id from ledger.applied_events')) as { event_id: string }[]).map((r) => r.event_id);
    expect(applied.sort()).toEqual(ids.slice(0, poisonIndex).sort());
    const [row] = (await dataSource.query(
      `select status, failed_event_id, failure, events_applied::int as events_applied from projections.checkpoints where name = 'ledger'`,
    )) as { status: string; failed_event_id: string; failure: string; events_applied: number }[];
    expect(row).toEqual({ status: 'failed', failed_event_id: poison, failure: expect.stringContaining(poison), events_applied: poisonIndex });
    expect(logger.lines.some((line) => line.includes('one at a time'))).toBe(true);

    // A fixed version carries on from the poison event; nothing was skipped.
    const fixed = runner({ store: testBed.store, dataSource, projection: ledgerProjection(), batchSize: 100 });
    await fixed.start();
    await fixed.waitForPosition(last, 30_000);
    expect(await ledgerRows(dataSource)).toEqual({ total: 400, distinct: 400 });
    expect(fixed.status()).toMatchObject({ state: 'active', failure: null, eventsApplied: 400 });
  });

  it('retries a batch that fails now and then, and applies it once', async () => {
    const testBed = await bed(ledgerMigrations);
    const last = await appendLedgerEvents(testBed.store, { events: 300, streams: 10, random: seededRandom(3) });
    let failuresLeft = 2;
    const projection = ledgerProjection({
      onBatch: () => {
        if (failuresLeft-- > 0) throw new Error('deadlock detected (simulated)');
      },
    });
    const live = runner({ store: testBed.store, dataSource: await testBed.dataSource(), projection, maxAttempts: 3 });
    await live.start();
    await live.waitForPosition(last, 30_000);
    expect(await ledgerRows(await testBed.dataSource())).toEqual({ total: 300, distinct: 300 });
    expect(live.status()).toMatchObject({ state: 'active', failure: null, eventsApplied: 300 });
  });

  it('reports its lag, and waitForPosition times out with a clear error', async () => {
    const testBed = await bed(ledgerMigrations);
    const dataSource = await testBed.dataSource();
    const first = await appendLedgerEvents(testBed.store, { events: 200, streams: 10, random: seededRandom(4), ignoredEvents: 5 });
    const caughtUp = runner({ store: testBed.store, dataSource, projection: ledgerProjection() });
    expect(caughtUp.status()).toMatchObject({ state: 'starting', checkpoint: null, eventsApplied: 0, failure: null });
    await caughtUp.start();
    await caughtUp.waitForPosition(first, 30_000);
    // The log ends with events the filter skips: caught up means nothing matching is left, not checkpoint = head.
    await eventually('the head refresh saw the end of the log', () => caughtUp.status().head !== null && caughtUp.status().positionsBehind === 0n);
    expect(caughtUp.status()).toMatchObject({ state: 'active', eventsApplied: 200, positionsBehind: 0n, secondsBehind: 0 });
    await caughtUp.stop();

    const last = await appendLedgerEvents(testBed.store, { events: 100, streams: 10, random: seededRandom(5) });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let batches = 0;
    const slow = runner({
      store: testBed.store,
      dataSource,
      projection: ledgerProjection({ onBatch: async () => (++batches > 1 ? gate : undefined) }),
      batchSize: 10,
    });
    await slow.start();
    await eventually('the first batch is applied and the second is held', () => batches >= 2 && slow.status().head !== null);
    await eventually('the head is known', async () => {
      const status = slow.status();
      return status.head !== null && comparePositions(status.head, last) >= 0;
    });
    const behind = slow.status();
    expect(behind.state).toBe('active');
    expect(behind.eventsApplied).toBe(210);
    expect(behind.positionsBehind).toBeGreaterThan(0n);
    expect(behind.secondsBehind).toBeGreaterThan(0);
    await expect(slow.waitForPosition(last, 200)).rejects.toThrow(/Timed out after 200 ms waiting for position .*"ledger" is active/);
    release();
    await slow.waitForPosition(last, 30_000);
    await eventually('the lag is gone', () => slow.status().positionsBehind === 0n && slow.status().secondsBehind === 0);
    expect(slow.status().eventsApplied).toBe(300);
  });

  it('rolls back and stops when someone else moved the checkpoint (fencing)', async () => {
    const testBed = await bed(ledgerMigrations);
    const dataSource = await testBed.dataSource();
    const first = await appendLedgerEvents(testBed.store, { events: 20, streams: 4, random: seededRandom(6) });
    const live = runner({ store: testBed.store, dataSource, projection: ledgerProjection() });
    await live.start();
    await live.waitForPosition(first, 30_000);
    await dataSource.query(`update projections.checkpoints set prepare_position = prepare_position + 1000 where name = 'ledger'`);
    const second = await appendLedgerEvents(testBed.store, { events: 5, streams: 4, random: seededRandom(7) });
    await expect(live.waitForPosition(second, 30_000)).rejects.toThrow(/no longer at/);
    expect(live.status()).toMatchObject({ state: 'failed', failure: { eventId: null } });
    expect(await ledgerRows(dataSource)).toEqual({ total: 20, distinct: 20 });
  });

  it('loses the lease with its connection, rolls the batch back, takes the lease again and applies it once', async () => {
    const testBed = await bed(ledgerMigrations);
    const dataSource = await testBed.dataSource();
    const last = await appendLedgerEvents(testBed.store, { events: 300, streams: 10, random: seededRandom(8) });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    const projection = ledgerProjection({
      onBatch: async () => {
        if (held) return;
        held = true;
        await gate;
      },
    });
    const logger = memoryLogger();
    const live = runner({ store: testBed.store, dataSource, projection, batchSize: 100, logger });
    await live.start();
    await eventually('a batch is being applied', () => held);
    // Kill the session holding the projection's advisory lock (the lease connection) mid-transaction.
    const killed = (await dataSource.query(
      `select pg_terminate_backend(pid) as terminated from pg_locks where locktype = 'advisory' and classid = $1::oid and granted
          and database = (select oid from pg_database where datname = current_database())`,
      [0x6b70706a],
    )) as { terminated: boolean }[];
    expect(killed).toEqual([{ terminated: true }]);
    release();
    await live.waitForPosition(last, 30_000);
    expect(await ledgerRows(dataSource)).toEqual({ total: 300, distinct: 300 });
    expect(live.status()).toMatchObject({ state: 'active', eventsApplied: 300, failure: null });
    expect(logger.lines.filter((line) => line.includes('lost its lease connection'))).toHaveLength(1);
  });
});

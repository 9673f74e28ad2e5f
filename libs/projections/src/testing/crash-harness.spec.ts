import { join } from 'node:path';
import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { runCrashTest } from './crash-harness';
import { appendLedgerEvents, seededRandom } from './ledger-projection';

describe('crash safety: SIGKILL at any point, then restart', () => {
  let server: TestServer;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    server = await defaultTestServer();
  });
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
    await server.stop();
  });

  it('ends identical to an uninterrupted rebuild from zero', async () => {
    const [events, readModel, reference] = await Promise.all(
      ['crash_events', 'crash_live', 'crash_reference'].map((label) => createTestDatabase(server, label)),
    );
    if (!events || !readModel || !reference) throw new Error('test databases were not created');
    databases.push(events, readModel, reference);
    const seed = Date.now() % 100_000;
    const store = await PostgresEventStore.connect({ connectionString: events.url });
    const last = await appendLedgerEvents(store, { events: 10_000, streams: 500, random: seededRandom(seed) });
    await store.close();

    const report = await runCrashTest({
      eventStoreUrl: events.url,
      readModelUrl: readModel.url,
      referenceUrl: reference.url,
      projection: { module: join(__dirname, 'ledger-projection.ts'), exportName: 'createLedgerProjection' },
      migrations: { module: join(__dirname, 'ledger-projection.ts'), exportName: 'ledgerMigrations' },
      untilPosition: last,
      randomKills: 5,
      killAfterApplyBatch: 3,
      random: seededRandom(seed + 1),
    });

    const context = `seed ${seed}, runs ${JSON.stringify(report.runs)}`;
    expect({ context, kills: report.runs.filter((run) => run.killed).length >= 6 }).toEqual({ context, kills: true });
    expect(report.runs[0]).toEqual({ kind: 'kill-after-apply', batchesCommitted: 2, killed: true });
    expect(report.live['applied_events']).toEqual(expect.objectContaining({ rows: 10_000 }));
    expect({ context, live: report.live }).toEqual({ context, live: report.reference });
  });
});

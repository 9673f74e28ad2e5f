import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { projectionsMigration, ProjectionRunner } from '@koppelstuk/projections';
import { runCrashTest, tableDigests } from '@koppelstuk/projections/testing';
import { ReferralWriter, seededRandom, writeReferralMix } from '@koppelstuk/testing';
import { inboxProjection, InboxTables1764000000200 } from '@koppelstuk/inbox-read-model';

const CRASH_ENTRY = join(__dirname, '..', '..', '..', '..', 'libs', 'inbox-read-model', 'src', 'crash-test-entry.ts');

describe('inbox projection: crash safety and rebuild', () => {
  let server: TestServer;
  const databases: TestDatabase[] = [];
  let events: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    server = await defaultTestServer();
    events = await createTestDatabase(server, 'inbox_events');
    databases.push(events);
    store = await PostgresEventStore.connect({ connectionString: events.url });
    await writeReferralMix(new ReferralWriter(store), { events: 10_000, seed: 7 });
  });
  afterAll(async () => {
    await store?.close();
    await Promise.all(databases.map((database) => database.drop()));
    await server?.stop();
  });

  it('killed at random points during a 10,000-event run (also between read-model write and checkpoint), it ends identical to a rebuild from zero', async () => {
    const [live, reference] = await Promise.all([createTestDatabase(server, 'inbox_live'), createTestDatabase(server, 'inbox_reference')]);
    databases.push(live, reference);
    const seed = Date.now() % 100_000;
    const report = await runCrashTest({
      eventStoreUrl: events.url,
      readModelUrl: live.url,
      referenceUrl: reference.url,
      projection: { module: CRASH_ENTRY, exportName: 'createInboxProjection' },
      migrations: { module: CRASH_ENTRY, exportName: 'inboxMigrations' },
      untilPosition: (await store.headPosition()) as NonNullable<Awaited<ReturnType<PostgresEventStore['headPosition']>>>,
      randomKills: 5,
      random: seededRandom(seed),
    });
    const context = `seed ${seed}, runs ${JSON.stringify(report.runs)}`;
    expect({ context, atLeastSixKills: report.runs.filter((run) => run.killed).length >= 6 }).toEqual({ context, atLeastSixKills: true });
    expect(report.runs[0]).toMatchObject({ kind: 'kill-after-apply', killed: true });
    expect(report.live['referrals']?.rows).toBeGreaterThan(1_000);
    expect({ context, live: report.live }).toEqual({ context, live: report.reference });
  }, 240_000);

  it('rebuilds from zero while serving and ends with identical tables', async () => {
    const readModel = await createTestDatabase(server, 'inbox_rebuild');
    databases.push(readModel);
    const dataSource = new DataSource({ type: 'postgres', url: readModel.url, migrations: [projectionsMigration, InboxTables1764000000200], migrationsTransactionMode: 'each' });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const liveStore = await PostgresEventStore.connect({ connectionString: events.url });
    const runner = new ProjectionRunner({ store: liveStore, dataSource, projection: inboxProjection, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    try {
      await runner.start();
      await runner.waitForPosition((await liveStore.headPosition()) as NonNullable<Awaited<ReturnType<PostgresEventStore['headPosition']>>>, 120_000);
      const before = await tableDigests(readModel.url, 'inbox', inboxProjection.tables);
      const rebuilt = await runner.rebuild();
      const after = await tableDigests(readModel.url, 'inbox', inboxProjection.tables);
      expect(after).toEqual(before);
      expect(rebuilt.events).toBeGreaterThanOrEqual(10_000);
      process.stdout.write(`inbox rebuild: ${rebuilt.events} events in ${rebuilt.durationMs} ms = ${Math.round(rebuilt.eventsPerSecond)} events/s\n`);
    } finally {
      await runner.stop();
      await liveStore.close();
      await dataSource.destroy();
    }
  }, 240_000);
});

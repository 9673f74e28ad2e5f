import { join } from 'node:path';
import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import type { Position, RecordedEvent } from '@koppelstuk/event-store';
import type { ProjectionRunner } from '@koppelstuk/projections';
import { runCrashTest, tableDigests } from '@koppelstuk/projections/testing';
import { DataSource } from 'typeorm';
import { seedDirectory } from '@koppelstuk/seed';
import { ProjectionRunners } from '@koppelstuk/service-kit';
import { startServiceForTest, type ServiceUnderTest } from '@koppelstuk/testing';
import { OutcomesModule } from '../app.module';
import { loadOutcomesConfig } from '../config';
import { OUTCOME_TABLES, OUTCOMES_SCHEMA, outcomesProjection } from '@koppelstuk/outcome-statistics';
import { appendMix, realisticMix, seededRandom } from './fixtures';
import { STATISTICS, type Cell } from './statistics-fixture';

/**
 * The projection on a realistic log: 10,000 referral events (journeys over the 14 G40 cities and 11 partners:
 * accepts, declines, information requests, forwards, withdrawals, outcomes, late outcomes, overdue flags,
 * referrals without consent for statistics), appended one event per append by 8 concurrent writers, next
 * to the directory's own events (which the projection's filter skips).
 */
describe('outcomes projection durability', () => {
  let server: TestServer;
  let service: ServiceUnderTest;
  let runner: ProjectionRunner;
  let last: Position;
  const databases: TestDatabase[] = [];
  const seed = Date.now() % 100_000;

  beforeAll(async () => {
    server = await defaultTestServer();
    service = await startServiceForTest((env) => OutcomesModule.forRoot(loadOutcomesConfig(env)), { label: 'outcomes_durability', server });
    runner = service.app.get(ProjectionRunners).get('outcomes');
    await seedDirectory(service.store);
    const random = seededRandom(seed);
    last = await appendMix(service.store, realisticMix(10_000, random), random);
    await runner.waitForPosition(last, 60_000);
  });
  afterAll(async () => {
    await service?.close();
    await Promise.all(databases.map((database) => database.drop()));
    await server?.stop();
  });

  it('survives SIGKILL at any point and ends identical to an uninterrupted run from zero', async () => {
    const [readModel, reference] = await Promise.all(['outcomes_crash_live', 'outcomes_crash_ref'].map((label) => createTestDatabase(server, label)));
    if (!readModel || !reference) throw new Error('test databases were not created');
    databases.push(readModel, reference);

    const report = await runCrashTest({
      eventStoreUrl: service.database.url,
      readModelUrl: readModel.url,
      referenceUrl: reference.url,
      projection: { module: join(__dirname, '../../../../libs/outcome-statistics/src/outcomes.projection.ts'), exportName: 'createOutcomesProjection' },
      migrations: { module: join(__dirname, '../../../../libs/outcome-statistics/src/outcome-tables.ts'), exportName: 'outcomesMigrations' },
      untilPosition: last,
      randomKills: 5,
      killAfterApplyBatch: 3,
      random: seededRandom(seed + 1),
    });

    const context = `seed ${seed}, runs ${JSON.stringify(report.runs)}`;
    expect(report.runs[0]).toEqual({ kind: 'kill-after-apply', batchesCommitted: 2, killed: true });
    expect({ context, kills: report.runs.filter((run) => run.killed).length >= 6 }).toEqual({ context, kills: true });
    expect({ context, live: report.live }).toEqual({ context, live: report.reference });
    expect(report.reference['facts']?.rows).toBeGreaterThan(5_000);
    // And the service's own projection (live wake-up, default batches) holds exactly the same rows.
    expect(await tableDigests(service.database.url, OUTCOMES_SCHEMA, OUTCOME_TABLES)).toEqual(report.reference);
  });

  it('applying events it already holds again changes nothing (a batch re-run after a rollback)', async () => {
    const before = await tableDigests(service.database.url, OUTCOMES_SCHEMA, OUTCOME_TABLES);
    const events: RecordedEvent[] = [];
    for await (const event of service.store.readAll({ filter: outcomesProjection.filter, maxCount: 3_000 })) events.push(event);
    await service.app.get(DataSource).transaction(async (manager) => {
      await outcomesProjection.apply(events, { manager, schema: OUTCOMES_SCHEMA });
      await outcomesProjection.apply(events.slice(100, 600), { manager, schema: OUTCOMES_SCHEMA });
    });
    expect(await tableDigests(service.database.url, OUTCOMES_SCHEMA, OUTCOME_TABLES)).toEqual(before);
  });

  it('rebuilds from zero on the live service into identical tables and figures', async () => {
    const auditor = await service.token('rekenkamer-g40', 'auditor');
    const figures = async () => {
      const result = await service.graphql<{ outcomeStatistics: Cell[] }>(auditor, STATISTICS, { groupBy: ['city', 'partner_kind', 'period'], period: 'quarter' });
      expect(result.errors).toBeUndefined();
      return result.data?.outcomeStatistics;
    };
    const tablesBefore = await tableDigests(service.database.url, OUTCOMES_SCHEMA, OUTCOME_TABLES);
    const figuresBefore = await figures();
    expect(figuresBefore?.length).toBeGreaterThan(100);

    const rebuild = await runner.rebuild();

    expect(await tableDigests(service.database.url, OUTCOMES_SCHEMA, OUTCOME_TABLES)).toEqual(tablesBefore);
    expect(await figures()).toEqual(figuresBefore);
    expect(runner.status()).toMatchObject({ state: 'active', failure: null });
    // Measured, not asserted (DESIGN.md §5: performance is for benchmarks).
    process.stdout.write(
      `outcomes rebuild: ${rebuild.events} events in ${rebuild.durationMs} ms = ${Math.round(rebuild.eventsPerSecond)} events/s (${server.kind} PostgreSQL)\n`,
    );
  });
});

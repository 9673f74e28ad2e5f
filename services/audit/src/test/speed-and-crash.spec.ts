import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { PostgresEventStore, type Position } from '@koppelstuk/event-store';
import { ProjectionRunner, projectionsMigration } from '@koppelstuk/projections';
import { runCrashTest } from '@koppelstuk/projections/testing';
import { computeStatistics, outcomesMigrations, outcomesProjection, type StatisticsRequest } from '@koppelstuk/outcome-statistics';
import { ReferralWriter, seededRandom, writeReferralMix } from '@koppelstuk/testing';
import { auditMigrations } from '../chain/audit-tables';
import { chainProjection } from '../chain/chain.projection';
import { loadChainSigner } from '../chain/chain-signer';
import { REPLAY_TARGETS } from '../replay/registry';
import { replayProjection } from '../replay/replay-projection';
import { verifyLog } from '../verify-log/verify-log';
import { quietLogger } from './support/chain-bed';

const CRASH_ENTRY = join(__dirname, '..', 'chain', 'crash-test-entry.ts');
const perSecond = (events: number, ms: number) => Math.round(events / Math.max(ms / 1000, 0.001));

/**
 * The chain over a realistic 10,000-event mix: how fast it is built, verified and replayed (printed, never
 * asserted), and that SIGKILLs at any moment leave exactly the chain an uninterrupted run builds.
 */
describe('hash chain on a 10,000-event mix: speed and crash safety', () => {
  let server: TestServer;
  const databases: TestDatabase[] = [];
  let events: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let total: number;
  let keyDir: string;

  beforeAll(async () => {
    server = await defaultTestServer();
    events = await createTestDatabase(server, 'audit_mix');
    databases.push(events);
    store = await PostgresEventStore.connect({ connectionString: events.url, poolSize: 4 });
    total = (await writeReferralMix(new ReferralWriter(store), { events: 10_000, seed: 17 })).events;
    dataSource = new DataSource({
      type: 'postgres',
      url: events.url,
      migrations: [projectionsMigration, ...auditMigrations, ...outcomesMigrations],
      migrationsTransactionMode: 'each',
      poolSize: 6,
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    keyDir = mkdtempSync(join(tmpdir(), 'koppelstuk-audit-key-'));
    // The outcome statistics as the outcomes service keeps them live.
    const outcomes = new ProjectionRunner({ store, dataSource, projection: outcomesProjection, logger: quietLogger });
    await outcomes.start();
    await outcomes.waitForPosition((await store.headPosition()) as Position, 120_000);
    await outcomes.stop();
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await store?.close();
    await Promise.all(databases.map((database) => database.drop()));
    await server?.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('builds, verifies and replays the chain, and replays the outcome statistics (speeds printed)', async () => {
    const signer = loadChainSigner({ dataDir: keyDir, production: false });
    const runner = new ProjectionRunner({ store, dataSource, projection: chainProjection({ signer, checkpointEvery: 1000 }), logger: quietLogger });
    let started = performance.now();
    await runner.start();
    await runner.waitForPosition((await store.headPosition()) as Position, 120_000);
    const chainMs = performance.now() - started;
    await runner.stop();

    started = performance.now();
    const report = await verifyLog(store, dataSource, { trustedKeyIds: [signer.keyId] });
    const verifyMs = performance.now() - started;
    expect(report).toMatchObject({ ok: true, checkedEvents: total, checkpointsVerified: Math.floor(total / 1000) });

    const chain = REPLAY_TARGETS['audit-chain'];
    const outcomes = REPLAY_TARGETS['outcomes'];
    if (!chain || !outcomes) throw new Error('the chain and the outcome statistics must be replay targets');
    const chainReplay = await replayProjection(store, dataSource, chain, { against: { kind: 'live' } });
    expect(chainReplay).toMatchObject({ differences: 0, run: { events: total } });

    const outcomesReplay = await replayProjection(store, dataSource, outcomes, { against: { kind: 'live' } });
    expect(outcomesReplay.differences).toBe(0);
    expect(outcomesReplay.comparisons.map((c) => [c.table, c.liveRows > 1_000, c.liveRows === c.replayedRows])).toEqual([
      ['referrals', true, true],
      ['facts', true, true],
    ]);
    const again = await replayProjection(store, dataSource, outcomes, { against: { kind: 'none' } });
    expect(again.replayed.tables).toEqual(outcomesReplay.replayed.tables);

    process.stdout.write(
      [
        `audit on ${total} events (${server.kind} PostgreSQL):`,
        `  chain built:        ${perSecond(total, chainMs)} events/s (${Math.round(chainMs)} ms)`,
        `  verification:       ${perSecond(total, verifyMs)} events/s (${Math.round(verifyMs)} ms)`,
        `  replay of chain:    ${chainReplay.run.eventsPerSecond} events/s (${chainReplay.run.durationMs} ms; 0 differences with the live chain)`,
        `  replay of outcomes: ${outcomesReplay.run.eventsPerSecond} events/s (${outcomesReplay.run.events} events in ${outcomesReplay.run.durationMs} ms; 0 differences)`,
        '',
      ].join('\n'),
    );
  }, 120_000);

  it('proves the statistics as they stood on a date: a replay of the events recorded by then gives the same figures', async () => {
    // A moment with no event within a millisecond of it (recording times are compared to the millisecond).
    const [gap] = (await dataSource.query(
      `select (date_trunc('milliseconds', recorded_at) + interval '1 millisecond') as at from (
         select recorded_at, lead(recorded_at) over (order by recorded_at) as next from event_store.events) t
        where next - recorded_at > interval '2 milliseconds'
          and recorded_at >= (select e.recorded_at from event_store.events e order by e.recorded_at offset 5000 limit 1)
        order by recorded_at limit 1`,
    )) as { at: Date }[];
    const at = gap?.at as Date;
    const report = (schema: string, asOf: StatisticsRequest['asOf']) =>
      computeStatistics(dataSource, { groupBy: ['city', 'need_category'], asOf, access: { kind: 'all', suppressSmallCells: false }, schema });
    let replayed: Awaited<ReturnType<typeof computeStatistics>> = [];
    const outcomes = REPLAY_TARGETS['outcomes'];
    if (!outcomes) throw new Error('outcomes must be a replay target');
    const asOf = await replayProjection(store, dataSource, outcomes, {
      against: { kind: 'none' },
      asOf: at,
      inspect: async (scratch) => {
        replayed = await report(scratch, { kind: 'now' });
      },
    });
    const published = await report('outcomes', { kind: 'instant', at: at.toISOString() });
    const [later] = (await dataSource.query(`select count(*)::int as n from outcomes.facts where recorded_at > $1`, [at])) as { n: number }[];
    expect(asOf.run.events).toBeGreaterThan(1_000);
    expect(later?.n).toBeGreaterThan(100);
    expect(published.reduce((sum, cell) => sum + (cell.referralsMade ?? 0), 0)).toBeGreaterThan(100);
    expect(replayed).toEqual(published);
    // And the figures of today differ from those of that date: the comparison is not vacuous.
    expect(await report('outcomes', { kind: 'now' })).not.toEqual(published);
  }, 60_000);

  it('killed at random moments (also between writing the chain rows and the checkpoint), ends with the chain of an uninterrupted run', async () => {
    const keyFile = join(keyDir, 'crash-key.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    // The crash harness's children inherit this environment: the same key and interval in every run.
    process.env['KOPPELSTUK_AUDIT_SIGNING_KEY_FILE'] = keyFile;
    process.env['KOPPELSTUK_AUDIT_CHECKPOINT_EVERY'] = '500';
    const [live, reference] = await Promise.all([createTestDatabase(server, 'audit_crash_live'), createTestDatabase(server, 'audit_crash_ref')]);
    databases.push(live, reference);
    const seed = Date.now() % 100_000;
    try {
      const report = await runCrashTest({
        eventStoreUrl: events.url,
        readModelUrl: live.url,
        referenceUrl: reference.url,
        projection: { module: CRASH_ENTRY, exportName: 'createChainProjection' },
        migrations: { module: CRASH_ENTRY, exportName: 'chainMigrations' },
        untilPosition: (await store.headPosition()) as Position,
        randomKills: 5,
        batchSize: 250,
        random: seededRandom(seed),
      });
      const context = `seed ${seed}, runs ${JSON.stringify(report.runs)}`;
      expect({ context, killed: report.runs.filter((run) => run.killed).length >= 4 }).toEqual({ context, killed: true });
      expect(report.runs[0]).toMatchObject({ kind: 'kill-after-apply', killed: true });
      expect(report.live['chain']?.rows).toBe(total);
      expect({ context, live: report.live }).toEqual({ context, live: report.reference });
      // The signed checkpoints too: Ed25519 signatures are deterministic, so equal rows mean equal evidence.
      const checkpoints = async (url: string) => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query('select sequence::int, hash, signature, public_key from audit.checkpoints order by sequence')).rows;
        } finally {
          await client.end();
        }
      };
      const signed = await checkpoints(live.url);
      expect(signed).toHaveLength(Math.floor(total / 500));
      expect(signed).toEqual(await checkpoints(reference.url));
    } finally {
      delete process.env['KOPPELSTUK_AUDIT_SIGNING_KEY_FILE'];
      delete process.env['KOPPELSTUK_AUDIT_CHECKPOINT_EVERY'];
    }
  }, 240_000);
});

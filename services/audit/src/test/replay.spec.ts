import { DataSource } from 'typeorm';
import { defaultTestServer, type TestServer } from '@koppelstuk/database';
import type { Position } from '@koppelstuk/event-store';
import { ProjectionRunner, projectionsMigration } from '@koppelstuk/projections';
import { writeReferralMix } from '@koppelstuk/testing';
import { describeDifference } from '../replay/compare-tables';
import { REPLAY_TARGETS } from '../replay/registry';
import { replayProjection, type ReplayReport } from '../replay/replay-projection';
import { chainBed, quietLogger, type ChainBed } from './support/chain-bed';
import { ReferralStatusTables1764000000590, referralStatusTarget } from './support/referral-status.projection';

const lines = (report: ReplayReport) => report.comparisons.flatMap((comparison) => comparison.differences.map(describeDifference)).sort();

describe('provable replay: rebuild into a scratch schema and compare row by row', () => {
  let server: TestServer;
  let bed: ChainBed;
  let readModel: DataSource;
  let runner: ProjectionRunner;

  const caughtUp = async () => {
    const head = (await bed.store.headPosition()) as Position;
    await runner.waitForPosition(head, 60_000);
    await bed.catchUp();
  };
  const replay = (against: Parameters<typeof replayProjection>[3]['against'], asOf: Date | null = null) =>
    replayProjection(bed.store, bed.dataSource, referralStatusTarget, { against, asOf });

  beforeAll(async () => {
    server = await defaultTestServer();
    bed = await chainBed(server, 'audit_replay', { events: 400, seed: 5 });
    readModel = new DataSource({
      type: 'postgres',
      url: bed.database.url,
      migrations: [projectionsMigration, ReferralStatusTables1764000000590],
      migrationsTableName: referralStatusTarget.migrationsTable,
      migrationsTransactionMode: 'each',
      poolSize: 4,
    });
    await readModel.initialize();
    await readModel.runMigrations();
    runner = new ProjectionRunner({ store: bed.store, dataSource: readModel, projection: referralStatusTarget.projection, logger: quietLogger });
    await runner.start();
    await caughtUp();
  });
  afterAll(async () => {
    await runner?.stop();
    await readModel?.destroy();
    await bed?.close();
    await server?.stop();
  });

  it('finds a live read model equal to a replay of the events, and leaves no scratch schema behind', async () => {
    const report = await replay({ kind: 'live' });
    expect(report.differences).toBe(0);
    expect(report.comparisons.map((c) => [c.table, c.liveRows === c.replayedRows, c.replayedRows > 0])).toEqual([
      ['referral_status', true, true],
      ['city_totals', true, true],
    ]);
    expect(report.run.events).toBeGreaterThan(200);
    expect(await bed.sql(`select nspname from pg_namespace where nspname like '%_replay_%'`)).toEqual([]);
  });

  it('prints every difference: a changed column, a missing row, an extra row, in both tables', async () => {
    const [changed, removed] = await bed.sql<{ referral_id: string; status: string }>(
      `select referral_id, status from replaytest.referral_status where status <> 'completed' order by referral_id limit 2`,
    );
    const [total] = await bed.sql<{ city_id: string; need_category: string; referrals: number }>('select * from replaytest.city_totals order by city_id, need_category limit 1');
    await bed.sql(`update replaytest.referral_status set status = 'completed', amount_cents = amount_cents + 100 where referral_id = $1`, [changed?.referral_id]);
    const [saved] = await bed.sql<Record<string, unknown>>('select * from replaytest.referral_status where referral_id = $1', [removed?.referral_id]);
    await bed.sql('delete from replaytest.referral_status where referral_id = $1', [removed?.referral_id]);
    await bed.sql(
      `insert into replaytest.referral_status select 'ffffffff-ffff-4fff-8fff-ffffffffffff', city_id, partner_id, status, outcomes, amount_cents, overdue, last_event_at, version, state
         from replaytest.referral_status where referral_id = $1`,
      [changed?.referral_id],
    );
    await bed.sql('update replaytest.city_totals set referrals = referrals + 7 where city_id = $1 and need_category = $2', [total?.city_id, total?.need_category]);

    const report = await replay({ kind: 'live' });
    const [original] = await bed.sql<{ amount: string }>(`select (amount_cents - 100)::text as amount from replaytest.referral_status where referral_id = $1`, [changed?.referral_id]);
    expect(report.differences).toBe(4);
    expect(lines(report)).toEqual(
      [
        `city_totals [city_id=${total?.city_id}, need_category=${total?.need_category}]: changed: referrals live=${(total?.referrals ?? 0) + 7} replayed=${total?.referrals}`,
        `referral_status [referral_id=${changed?.referral_id}]: changed: status live=completed replayed=${changed?.status}; amount_cents live=${BigInt(original?.amount ?? 0) + 100n} replayed=${original?.amount}`,
        `referral_status [referral_id=${removed?.referral_id}]: missing from the live read model (the events produce it)`,
        `referral_status [referral_id=ffffffff-ffff-4fff-8fff-ffffffffffff]: extra in the live read model (no event produces it)`,
      ].sort(),
    );
    // Repair the read model by hand; the replay agrees again.
    await bed.sql(`update replaytest.referral_status set status = $2, amount_cents = amount_cents - 100 where referral_id = $1`, [changed?.referral_id, changed?.status]);
    await bed.sql(`insert into replaytest.referral_status select * from jsonb_populate_record(null::replaytest.referral_status, $1::jsonb)`, [JSON.stringify(saved)]);
    await bed.sql(`delete from replaytest.referral_status where referral_id = 'ffffffff-ffff-4fff-8fff-ffffffffffff'`);
    await bed.sql('update replaytest.city_totals set referrals = referrals - 7 where city_id = $1 and need_category = $2', [total?.city_id, total?.need_category]);
    expect((await replay({ kind: 'live' })).differences).toBe(0);
  });

  it('is deterministic: two replays give identical tables', async () => {
    const [first, second] = [await replay({ kind: 'none' }), await replay({ kind: 'none' })];
    expect(second.replayed.tables).toEqual(first.replayed.tables);
    expect(first.replayed.position).toBe(second.replayed.position);
  });

  it('compares with the checkpoint the live model is at, not with the head: a lagging projection is not a difference', async () => {
    await runner.stop();
    await writeReferralMix(bed.writer, { events: 40, seed: 6 });
    expect((await replay({ kind: 'live' })).differences).toBe(0);
    runner = new ProjectionRunner({ store: bed.store, dataSource: readModel, projection: referralStatusTarget.projection, logger: quietLogger });
    await runner.start();
    await caughtUp();
  });

  it('replays the log as it stood at a moment, and a saved replay reproduces exactly after the log has grown', async () => {
    const [cut] = await bed.sql<{ at: Date; made: number }>(
      `select recorded_at as at, (select count(*)::int from event_store.events e2 where e2.event_type = 'ReferralMade' and e2.recorded_at <= e.recorded_at) as made
         from event_store.events e where event_type = 'ReferralMade' order by recorded_at offset 40 limit 1`,
    );
    const filed = await replay({ kind: 'none' }, cut?.at as Date);
    const rows = filed.replayed.tables.find((table) => table.table === 'referral_status')?.rows ?? [];
    expect(rows.length).toBe(cut?.made);
    expect(rows.every((row) => Date.parse(row['last_event_at'] as string) <= (cut?.at as Date).getTime())).toBe(true);

    await writeReferralMix(bed.writer, { events: 40, seed: 7 });
    await caughtUp();
    const later = await replay({ kind: 'file', file: filed.replayed });
    expect(later.asOf?.toISOString()).toBe((cut?.at as Date).toISOString());
    expect(later.differences).toBe(0);
    // The same file against today's full replay does differ: the comparison is not vacuous.
    const today = await replayProjection(bed.store, bed.dataSource, referralStatusTarget, { against: { kind: 'file', file: { ...filed.replayed, asOf: null, position: null } } });
    expect(today.differences).toBeGreaterThan(0);
  });

  it("replays the inbox service's read model, creating its tables through the service's migrations when it never ran here", async () => {
    const inbox = REPLAY_TARGETS['inbox'];
    if (!inbox) throw new Error('the inbox must be a replay target');
    // The inbox service never ran on this database: the replay makes its (empty) tables, and its events are all missing.
    const before = await replayProjection(bed.store, bed.dataSource, inbox, { against: { kind: 'none' } });
    expect(await bed.sql(`select count(*)::int as n from koppelstuk_inbox_migrations`)).toEqual([{ n: 1 }]);
    const live = new ProjectionRunner({ store: bed.store, dataSource: bed.dataSource, projection: inbox.projection, logger: quietLogger });
    await live.start();
    await live.waitForPosition((await bed.store.headPosition()) as Position, 60_000);
    await live.stop();
    const report = await replayProjection(bed.store, bed.dataSource, inbox, { against: { kind: 'live' } });
    expect(report.differences).toBe(0);
    expect(report.comparisons.find((comparison) => comparison.table === 'referrals')?.liveRows).toBe(before.replayed.tables[0]?.rows.length);
    await bed.sql(`update inbox.referrals set personal = personal || '{"ciphertext": "x"}' where referral_id = (select r.referral_id from inbox.referrals r order by r.referral_id limit 1)`);
    const doctored = await replayProjection(bed.store, bed.dataSource, inbox, { against: { kind: 'live' } });
    expect(lines(doctored)).toEqual([expect.stringMatching(/^referrals \[referral_id=[0-9a-f-]{36}\]: changed: personal live=\{.*"ciphertext": "x".*\} replayed=\{.*\}$/)]);
  });

  it('replays the hash chain itself and finds a doctored chain row, column by column', async () => {
    const chain = REPLAY_TARGETS['audit-chain'];
    if (!chain) throw new Error('the chain must be a replay target');
    expect((await replayProjection(bed.store, bed.dataSource, chain, { against: { kind: 'live' } })).differences).toBe(0);
    await bed.sql(`update audit.chain set actor_user_id = 'iemand' where sequence = 42`);
    const report = await replayProjection(bed.store, bed.dataSource, chain, { against: { kind: 'live' } });
    expect(report.differences).toBe(1);
    expect(lines(report)[0]).toMatch(/^chain \[sequence=42\]: changed: actor_user_id live=iemand replayed=.+$/);
  });
});

import { verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, defaultTestServer, type TestServer } from '@koppelstuk/database';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { ReferralWriter, writeReferralMix } from '@koppelstuk/testing';
import { chainBed, type ChainBed } from './support/chain-bed';
import { runCli as runProgram } from '../cli/program';
import { runCli } from './support/run-cli';

/** `koppelstuk-audit` run as its own process against a test database: its output and its exit codes. */
describe('koppelstuk-audit CLI', () => {
  let server: TestServer;
  let bed: ChainBed;
  let env: Record<string, string>;
  let files: string;
  let total: number;

  beforeAll(async () => {
    server = await defaultTestServer();
    bed = await chainBed(server, 'audit_cli', { events: 200, checkpointEvery: 50, seed: 9 });
    env = { DATABASE_URL: bed.database.url, KOPPELSTUK_DATA_DIR: bed.dataDir };
    files = mkdtempSync(join(tmpdir(), 'koppelstuk-audit-cli-'));
    total = (await bed.sql<{ n: number }>('select count(*)::int as n from event_store.events'))[0]?.n ?? 0;
  });
  /** The same program with its output captured, in this process. */
  const inProcess = async (args: string[], environment: Record<string, string> = env) => {
    let stdout = '';
    let stderr = '';
    const code = await runProgram(args, { out: (text) => void (stdout += text), err: (text) => void (stderr += text), interactive: false, env: environment });
    return { code, stdout, stderr };
  };

  afterAll(async () => {
    rmSync(files, { recursive: true, force: true });
    await bed?.close();
    await server?.stop();
  });

  it('verifies, shows a history, exports, replays and signs on an intact log (exit 0)', async () => {
    const [referral] = await bed.sql<{ id: string; name: string }>(
      `select data->>'referralId' as id, data->'entrepreneur'->>'businessName' as name from event_store.events where event_type = 'ReferralMade' limit 1`,
    );
    const csv = join(files, 'events.csv');
    const [verified, exported, replayed] = await Promise.all([
      runCli(['verify'], env),
      runCli(['export', '--format', 'csv', '--out', csv], env),
      runCli(['replay', 'audit-chain', '--out', join(files, 'chain.json')], env),
    ]);
    const history = await inProcess(['history', referral?.id as string]);
    const streamed = await inProcess(['export', '--from', '2000-01-01', '--to', new Date(Date.now() + 3_600_000).toISOString()]);
    const signed = await runCli(['checkpoint'], env);

    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toContain(`OK: ${total} events (sequences 1-${total}) match the hash chain`);
    expect(verified.stdout).toContain(`signed checkpoints verified: ${Math.floor(total / 50)}\n`);

    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(new RegExp(`^Referral ${referral?.id}: \\w+, gm\\d{4}-[a-z-]+ -> [a-z-]+, \\d+ events\\n#\\d+  \\S+  ReferralMade  by `));
    expect(history.stdout).toContain(`entrepreneur = {"businessName":"${referral?.name}"`);
    expect(history.stdout).toContain('personal.contactName = (personal data, not shown)');

    expect(exported).toMatchObject({ code: 0, stdout: '', stderr: `Exported ${total} events to ${csv}\n` });
    expect(readFileSync(csv, 'utf8').split('\r\n').filter((line) => line !== '')).toHaveLength(total + 1);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { sequence: number }).sequence)).toEqual(
      Array.from({ length: total }, (_, index) => index + 1),
    );

    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(new RegExp(`^Replayed ${total} events into audit-chain up to position \\d+/\\d+ in \\d+ ms \\(\\d+ events/s\\)`));
    expect(replayed.stdout).toContain(`chain: ${total} live rows, ${total} replayed rows, 0 differences\nNo differences`);
    expect(JSON.parse(readFileSync(join(files, 'chain.json'), 'utf8'))).toMatchObject({ format: 'koppelstuk-read-model/1', projection: 'audit-chain' });

    expect(signed.code).toBe(0);
    const hash = /hash: +([0-9a-f]{64})/.exec(signed.stdout)?.[1] as string;
    const signature = /signature: +(\S+)/.exec(signed.stdout)?.[1] as string;
    const publicKey = /(-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----)/.exec(signed.stdout)?.[1] as string;
    expect(signed.stdout).toContain(`Checkpoint at sequence ${total} (on_demand`);
    expect(verify(null, Buffer.from(`koppelstuk-chain:${total}:${hash}`), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
  });

  it('exits 2 on usage errors and 3 when it cannot connect, saying why', async () => {
    const [badSequence, unreachable] = await Promise.all([
      runCli(['verify', '--from', 'zero'], env),
      runCli(['verify'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', KOPPELSTUK_DATA_DIR: bed.dataDir }),
    ]);
    // The rest of the usage matrix runs the same program in this process (starting a process costs a second each).
    const unknownProjection = await inProcess(['replay', 'nope']);
    const badId = await inProcess(['history', 'not-a-uuid']);
    const unknownCommand = await inProcess(['frobnicate']);
    const badDate = await inProcess(['replay', 'audit-chain', '--as-of', 'gisteren']);
    expect(badSequence).toMatchObject({ code: 2, stderr: '--from takes a chain sequence: a whole number of at least 1, not "zero"\n' });
    expect(unknownProjection).toMatchObject({ code: 2, stderr: 'Unknown projection "nope"; known: audit-chain, outcomes, inbox\n' });
    expect(badId).toMatchObject({ code: 2, stderr: '"not-a-uuid" is not a referral id (a UUID)\n' });
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'frobnicate'");
    expect(badDate.code).toBe(2);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/^Cannot connect: .*ECONNREFUSED/);
    const missing = await inProcess(['history', '00000000-0000-4000-8000-000000000000']);
    expect(missing).toMatchObject({ code: 1, stderr: 'No referral 00000000-0000-4000-8000-000000000000 in the log\n' });
  });

  it('exits 1 and names the position when the log was tampered with, and when a replay differs', async () => {
    const [target] = await bed.sql<{ sequence: number; id: string; position: string }>(
      `select sequence::int, event_id as id, commit_position || '/' || prepare_position as position from audit.chain where sequence = 123`,
    );
    const [original] = await bed.sql<{ data: string }>('select data::text from event_store.events where event_id = $1', [target?.id]);
    await bed.sql(`update event_store.events set data = data || '{"amountCents": 1}' where event_id = $1`, [target?.id]);
    const text = await runCli(['verify'], env);
    const json = await inProcess(['verify', '--json', '--from', '100']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^PROBLEM at sequence 123, position ${target?.position}\\nchanged: the event at position ${target?.position}`));
    expect(text.stdout).toContain('checked before it: 122 events (sequences 1-');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problemKind: 'changed', firstBadSequence: 123, firstBadPosition: target?.position, checkedEvents: 23 });

    await bed.sql('update event_store.events set data = $2::jsonb where event_id = $1', [target?.id, original?.data]);
    await bed.sql(`update audit.chain set event_type = 'Iets' where sequence = 7`);
    const replay = await runCli(['replay', 'audit-chain'], env);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/\n {2}chain \[sequence=7\]: changed: event_type live=Iets replayed=\w+\n1 differences\n$/);
  });

  it('brings the chain up to the log itself when the audit service is not running (--catch-up)', async () => {
    const database = await createTestDatabase(server, 'audit_cli_fresh');
    const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 2 });
    try {
      const written = await writeReferralMix(new ReferralWriter(store), { events: 60, seed: 4 });
      const fresh = { DATABASE_URL: database.url, KOPPELSTUK_DATA_DIR: join(files, 'fresh'), KOPPELSTUK_AUDIT_CHECKPOINT_EVERY: '25' };
      expect(await inProcess(['verify'], fresh)).toMatchObject({ code: 0, stdout: expect.stringContaining('The chain is empty') });
      const verified = await inProcess(['verify', '--catch-up'], fresh);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain(`OK: ${written.events} events (sequences 1-${written.events}) match the hash chain`);
      expect(verified.stdout).toContain(`signed checkpoints verified: ${Math.floor(written.events / 25)}\n`);
      expect((await inProcess(['checkpoint'], fresh)).stdout).toContain(`Checkpoint at sequence ${written.events} (on_demand`);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});

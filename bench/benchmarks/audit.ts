import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ensureBuilt } from '../support/build';
import type { BenchContext } from '../support/context';
import type { MixDatabase } from '../support/mix';
import { rate } from '../support/stats';
import { formatNumber, perSecond, ratio, type BenchTable } from '../support/table';

const PAGE = 2_000;

interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

/** The audit CLI (koppelstuk-audit) from the bench's build, as an operator runs it: its own process, wall time. */
function cli(args: readonly string[], env: NodeJS.ProcessEnv, profile: string | null): Promise<CliRun> {
  const main = join(ensureBuilt(), 'services', 'audit', 'src', 'cli', 'main.js');
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${join(__dirname, '..', 'results')}`, `--cpu-prof-name=${profile}.profile`] : [];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, main, ...args], { env, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 }, (error, out, err) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, out, err, ms: performance.now() - started });
    });
  });
}

function assertOk(what: string, run: CliRun): void {
  if (run.code !== 0) throw new Error(`koppelstuk-audit ${what} exited with ${run.code}: ${run.err.slice(0, 500)}${run.out.slice(0, 500)}`);
}

/** "Replayed 100023 events into … in 1234 ms (81000 events/s)" */
function replayed(run: CliRun): { events: number; ms: number } {
  const match = /Replayed (\d+) events .* in (\d+) ms/.exec(run.out);
  if (!match) throw new Error(`unexpected replay output: ${run.out.slice(0, 300)}`);
  return { events: Number(match[1]), ms: Number(match[2]) };
}

/**
 * 5. The audit service's hash chain and replay on the 100,000-event mix, through its CLI (services/audit is
 * not imported: bench/ may only import libraries). Baseline on the same server: every event read in log order
 * with a raw SELECT and chained with SHA-256 over its stored JSON, in this process.
 */
export async function auditBenchmark(context: BenchContext, mix: MixDatabase): Promise<BenchTable> {
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelstuk-bench-audit-'));
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'error', DATABASE_URL: mix.database.url, KOPPELSTUK_DATA_DIR: dataDir };
  const profile = (name: string) => (context.profile ? `audit-${name}` : null);
  try {
    const chain = await cli(['checkpoint', '--catch-up'], env, profile('catch-up'));
    assertOk('checkpoint --catch-up', chain);
    context.log(`audit: chain of ${mix.events} events built and signed in ${Math.round(chain.ms)} ms`);
    const startup = await cli(['verify', '--from', '1', '--to', '1', '--json'], env, null);
    assertOk('verify (one event)', startup);
    const verify = await cli(['verify', '--json'], env, profile('verify'));
    assertOk('verify', verify);
    const report = JSON.parse(verify.out) as { ok: boolean; checkedEvents: number; checkpointsVerified: number };
    if (!report.ok) throw new Error(`verify found a problem: ${verify.out.slice(0, 500)}`);
    context.log(`audit: verify of ${report.checkedEvents} events in ${Math.round(verify.ms)} ms (startup ${Math.round(startup.ms)} ms)`);
    const replays: { name: string; against: string; events: number; ms: number }[] = [];
    for (const [name, against] of [
      ['audit-chain', 'live'],
      ['outcomes', 'none'],
      ['inbox', 'none'],
    ] as const) {
      const run = await cli(['replay', name, '--against', against], env, profile(`replay-${name}`));
      assertOk(`replay ${name}`, run);
      if (against === 'live' && !/No differences/.test(run.out)) throw new Error(`replay ${name} found differences: ${run.out.slice(0, 500)}`);
      replays.push({ name, against, ...replayed(run) });
      context.log(`audit: replay ${name}: ${replays[replays.length - 1]?.events} events in ${replays[replays.length - 1]?.ms} ms`);
    }
    const baseline = await hashBaseline(mix.database.url);
    context.log(`audit: baseline SELECT + SHA-256 of ${baseline.events} events in ${Math.round(baseline.ms)} ms`);

    const base = rate(baseline.events, baseline.ms);
    const verifyMs = verify.ms - startup.ms;
    const rows: (string | number)[][] = [
      ['hash-chain verification (`verify`)', report.checkedEvents, `${formatNumber(verifyMs / 1000, 2)} s`, perSecond(rate(report.checkedEvents, verifyMs)), ratio(rate(report.checkedEvents, verifyMs) / base)],
      ['chain built from zero and signed (`checkpoint --catch-up`)', mix.events, `${formatNumber((chain.ms - startup.ms) / 1000, 2)} s`, perSecond(rate(mix.events, chain.ms - startup.ms)), ratio(rate(mix.events, chain.ms - startup.ms) / base)],
      ...replays.map((r) => [
        `full replay of ${r.name} (\`replay ${r.name} --against ${r.against}\`)`,
        r.events,
        `${formatNumber(r.ms / 1000, 2)} s`,
        perSecond(rate(r.events, r.ms)),
        ratio(rate(r.events, r.ms) / base),
      ]),
      ['baseline: raw SELECT in log order + SHA-256 chain over the stored JSON', baseline.events, `${formatNumber(baseline.ms / 1000, 2)} s`, perSecond(base), '1.00×'],
    ];
    return {
      title: '5. Audit',
      columns: ['what', 'events', 'time', 'events/s', 'vs baseline'],
      rows,
      notes: [
        `The koppelstuk-audit CLI of services/audit (its own process, from the bench's build) on the ${formatNumber(mix.events, 0)}-event mix. ` +
          `verify and the chain build are wall times less the CLI's start-up and connection (${formatNumber(startup.ms, 0)} ms, a one-event verify); ` +
          `replay times are the CLI's own report (replay into a scratch schema; audit-chain also compared with the live chain: no differences). ` +
          `verify checked ${report.checkpointsVerified} signed checkpoint(s).`,
      ],
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function hashBaseline(url: string): Promise<{ events: number; ms: number }> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const started = performance.now();
    let after: [string, string] = ['0', '0'];
    let hash = '';
    let events = 0;
    for (;;) {
      const { rows } = await pool.query<{ txid: string; position: string; event_id: string; stream_name: string; data: unknown; metadata: unknown }>(
        `select transaction_id::text as txid, position, event_id, stream_name, stream_revision, event_type, data, metadata, recorded_at
           from event_store.events where (transaction_id, position) > ($1::xid8, $2::bigint)
          order by transaction_id, position limit $3`,
        [after[0], after[1], PAGE],
      );
      for (const row of rows) {
        hash = createHash('sha256').update(hash).update(row.event_id).update(row.stream_name).update(JSON.stringify(row.data)).update(JSON.stringify(row.metadata)).digest('hex');
      }
      events += rows.length;
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) break;
      after = [last.txid, last.position];
    }
    return { events, ms: performance.now() - started };
  } finally {
    await pool.end();
  }
}

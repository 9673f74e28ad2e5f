import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { appendBenchmark } from './benchmarks/append';
import { auditBenchmark } from './benchmarks/audit';
import { lagBenchmark } from './benchmarks/lag';
import { networkBenchmarks } from './benchmarks/network';
import { rebuildBenchmark } from './benchmarks/rebuild';
import { onInterrupt, runInterruptCleanups, type BenchContext } from './support/context';
import { writeMixDatabase, type MixDatabase } from './support/mix';
import { startBenchServer } from './support/server';
import { renderTable, type BenchTable } from './support/table';

/**
 * `npm run bench`: every benchmark in one bounded run against 127.0.0.1, each beside a baseline measured
 * in the same run on the same PostgreSQL server. Prints a table per benchmark and writes them all to
 * bench/results/<YYYY-MM-DD>.md. `-- --only=append,rebuild` runs a subset (written to <date>.append-rebuild.md).
 */
const BENCHMARKS: readonly { name: string; run: (context: BenchContext) => Promise<BenchTable | BenchTable[]> }[] = [
  { name: 'append', run: appendBenchmark },
  { name: 'rebuild', run: async (context) => rebuildBenchmark(context, await context.mix()) },
  { name: 'lag', run: lagBenchmark },
  { name: 'audit', run: async (context) => auditBenchmark(context, await context.mix()) },
  { name: 'network', run: networkBenchmarks },
];

const MIX_EVENTS = Number(process.env['KOPPELSTUK_BENCH_MIX_EVENTS'] ?? 100_000);
const MIX_WRITERS = 8;

async function main(): Promise<void> {
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const selected = BENCHMARKS.filter((b) => !only || only.includes(b.name));
  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const started = Date.now();
  const server = await startBenchServer();
  const fixtures: { mix: Promise<MixDatabase> | null } = { mix: null };
  const context: BenchContext = {
    server,
    profileDir: resultsDir,
    profile: process.env['KOPPELSTUK_BENCH_PROFILE'] === '1',
    log: (message) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
    mix: () =>
      (fixtures.mix ??= (async () => {
        context.log(`writing the ${MIX_EVENTS.toLocaleString('en-GB')}-event mix with ${MIX_WRITERS} writers …`);
        const written = await writeMixDatabase(context, MIX_EVENTS, MIX_WRITERS);
        context.log(`mix: ${written.events} events, ${written.referrals} referrals in ${Math.round(written.generationMs)} ms`);
        return written;
      })()),
  };
  context.log(`server: ${server.description}`);
  onInterrupt(async () => {
    if (fixtures.mix) await (await fixtures.mix.catch(() => null))?.database.drop().catch(() => undefined);
    await server.stop();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      context.log(`${signal}: stopping the network and the database server …`);
      void runInterruptCleanups().finally(() => process.exit(130));
    });
  }
  const sections: string[] = [];
  const failures: string[] = [];
  try {
    for (const benchmark of selected) {
      context.log(`${benchmark.name} …`);
      try {
        const tables = [await benchmark.run(context)].flat();
        for (const table of tables) {
          const text = renderTable(table);
          process.stdout.write(`\n${text}`);
          sections.push(text);
        }
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        context.log(`${benchmark.name} failed: ${message}`);
        failures.push(benchmark.name);
        sections.push(`## ${benchmark.name}\n\nFailed: \`${(error as Error).message ?? String(error)}\`\n`);
      }
    }
  } finally {
    if (fixtures.mix) await (await fixtures.mix.catch(() => null))?.database.drop().catch(() => undefined);
    await server.stop();
  }
  const date = new Date().toISOString().slice(0, 10);
  const header = [
    `# Benchmarks ${date}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; ${server.description}.`,
    `Run: \`npm run bench\`${only ? ` (only ${only.join(', ')})` : ''}, ${Math.round((Date.now() - started) / 1000)} s in all. Every ratio is against a baseline measured in this run on this server.`,
    '',
  ].join('\n');
  // A partial run (--only) does not overwrite the day's full results.
  const file = join(resultsDir, only ? `${date}.${only.join('-')}.md` : `${date}.md`);
  // In the order of the issue (1. append … 6. memory), whatever order they ran in.
  const order = (section: string) => {
    const [, number, letter] = /^## (\d+)([a-z]?)\./.exec(section) ?? [];
    return Number(number ?? 99) + (letter ? (letter.charCodeAt(0) - 96) / 10 : 0);
  };
  writeFileSync(file, `${header}\n${[...sections].sort((a, b) => order(a) - order(b)).join('\n')}`);
  context.log(`written to ${file}`);
  if (failures.length > 0) {
    context.log(`failed: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

import { fork } from 'node:child_process';
import { join } from 'node:path';
import { formatPosition, type Position } from '@koppelstuk/event-store';
import { Client } from 'pg';
import { KILL_AFTER_APPLY_VARIABLE, type ChildConfig, type ChildMessage, type ModuleExport } from './crash-protocol';

export type { ModuleExport } from './crash-protocol';

export interface CrashTestOptions {
  /** The PostgreSQL database holding the event log, already appended. */
  readonly eventStoreUrl: string;
  /** An empty database: the read model that is killed and restarted. */
  readonly readModelUrl: string;
  /** Another empty database: the uninterrupted rebuild from zero it must end identical to. */
  readonly referenceUrl: string;
  /** A module exporting a factory `() => ProjectionDefinition` (absolute path + export name). */
  readonly projection: ModuleExport;
  /** A module exporting the array of TypeORM migration classes that create the projection's tables. */
  readonly migrations: ModuleExport;
  /** The last position of the log: the final run stops once the projection reached it. */
  readonly untilPosition: Position;
  /** SIGKILLs at random moments (after a random number of committed batches plus a random delay). Default 5. */
  readonly randomKills?: number;
  /** The batch after whose apply() (and before its checkpoint update) the first run kills itself. Default 3. */
  readonly killAfterApplyBatch?: number;
  /** The child's batch size: small batches put more batch boundaries within a kill's reach. Default 100. */
  readonly batchSize?: number;
  readonly random?: () => number;
  /** Liveness bound per child run (not a performance assertion). Default 60 s. */
  readonly runTimeoutMs?: number;
}

export type RunKind = 'kill-after-apply' | 'random-kill' | 'final' | 'reference';

export interface CrashRun {
  readonly kind: RunKind;
  readonly batchesCommitted: number;
  /** True when the run ended by SIGKILL (a random kill may find the child already finished). */
  readonly killed: boolean;
}

export type TableDigests = Readonly<Record<string, { readonly rows: number; readonly md5: string }>>;

export interface CrashTestReport {
  readonly runs: readonly CrashRun[];
  /** The crashed-and-restarted read model. */
  readonly live: TableDigests;
  /** The rebuild from zero; `live` must equal it. */
  readonly reference: TableDigests;
}

const CHILD_SCRIPT = join(__dirname, 'crash-child.ts');
const REGISTER_SWC = join(__dirname, 'register-swc.cjs');

/**
 * The crash-safety test every projection can run on itself: a child process applies the log while it is
 * SIGKILLed (once deterministically between apply() and the checkpoint update, then at random moments),
 * restarted each time, and finally left to finish. The resulting tables are then compared with an
 * uninterrupted run into a fresh database. The caller asserts `report.live` equals `report.reference`.
 */
export async function runCrashTest(options: CrashTestOptions): Promise<CrashTestReport> {
  const random = options.random ?? Math.random;
  const runs: CrashRun[] = [];
  const killAfterApply = options.killAfterApplyBatch ?? 3;

  const first = startChild(options, options.readModelUrl, killAfterApply);
  const firstExit = await first.exited;
  if (firstExit.signal !== 'SIGKILL' || first.committed() !== killAfterApply - 1) {
    throw new Error(
      `The child should have killed itself after applying batch ${killAfterApply} (having committed ${killAfterApply - 1}), ` +
        `but it ended with ${describeExit(firstExit)} after committing ${first.committed()}.\n${first.output()}`,
    );
  }
  runs.push({ kind: 'kill-after-apply', batchesCommitted: first.committed(), killed: true });

  for (let kill = 0; kill < (options.randomKills ?? 5); kill++) {
    // 0 committed batches means "soon after start": the kill may land in start-up, lease or first batch.
    const afterBatches = Math.floor(random() * 10);
    const delayMs = Math.floor(random() * 10);
    const child = startChild(options, options.readModelUrl);
    await Promise.race([child.reached(afterBatches), child.exited]);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.kill();
    const exit = await child.exited;
    runs.push({ kind: 'random-kill', batchesCommitted: child.committed(), killed: exit.signal === 'SIGKILL' });
  }

  runs.push((await runToCompletion(options, options.readModelUrl, 'final')).run);
  const reference = await runToCompletion(options, options.referenceUrl, 'reference');
  runs.push(reference.run);
  const { schema, tables } = reference.projection;
  return {
    runs,
    live: await tableDigests(options.readModelUrl, schema, tables),
    reference: await tableDigests(options.referenceUrl, schema, tables),
  };
}

/** Row count and md5 of the rows in a stable order, per table: equal digests mean equal contents. */
export async function tableDigests(url: string, schema: string, tables: readonly string[]): Promise<TableDigests> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const digests: Record<string, { rows: number; md5: string }> = {};
    for (const table of tables) {
      const { rows } = await client.query<{ rows: number; md5: string }>(
        `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5
           from ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)} t`,
      );
      const row = rows[0];
      if (row) digests[table] = row;
    }
    return digests;
  } finally {
    await client.end();
  }
}

interface ReportedProjection {
  readonly schema: string;
  readonly tables: readonly string[];
}

async function runToCompletion(
  options: CrashTestOptions,
  readModelUrl: string,
  kind: RunKind,
): Promise<{ run: CrashRun; projection: ReportedProjection }> {
  const child = startChild(options, readModelUrl);
  const exit = await child.exited;
  const projection = child.projection();
  if (exit.code !== 0 || !projection) {
    throw new Error(`The ${kind} run ended with ${describeExit(exit)} instead of finishing.\n${child.output()}`);
  }
  return { run: { kind, batchesCommitted: child.committed(), killed: false }, projection };
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface ChildHandle {
  readonly exited: Promise<Exit>;
  committed(): number;
  /** Resolves once at least `batches` batches are committed (0: once the runner started). */
  reached(batches: number): Promise<void>;
  kill(): void;
  /** The schema and tables the child's projection reported at start. */
  projection(): ReportedProjection | null;
  /** The tail of the child's stderr, for failure messages. */
  output(): string;
}

function startChild(options: CrashTestOptions, readModelUrl: string, killAfterApply?: number): ChildHandle {
  const timeoutMs = options.runTimeoutMs ?? 60_000;
  const config: ChildConfig = {
    eventStoreUrl: options.eventStoreUrl,
    readModelUrl,
    projection: options.projection,
    migrations: options.migrations,
    batchSize: options.batchSize ?? 100,
    untilPosition: formatPosition(options.untilPosition),
    timeoutMs,
  };
  const child = fork(CHILD_SCRIPT, [JSON.stringify(config)], {
    execArgv: ['--require', REGISTER_SWC],
    env: { ...process.env, [KILL_AFTER_APPLY_VARIABLE]: killAfterApply ? String(killAfterApply) : '' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-6000);
  });
  let committed = 0;
  let projection: ReportedProjection | null = null;
  const listeners = new Set<() => void>();
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'committed') committed += 1;
    if (message.type === 'started') projection = { schema: message.schema, tables: message.tables };
    for (const listener of [...listeners]) listener();
  });
  const exited = new Promise<Exit>((resolve) => {
    const timer = setTimeout(() => {
      stderr += `\n[crash harness] liveness bound: the child did not finish within ${timeoutMs} ms and was killed`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  return {
    exited,
    committed: () => committed,
    reached: (batches) =>
      new Promise((resolve) => {
        const check = () => {
          if (!projection || committed < batches) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    projection: () => projection,
    output: () => stderr,
  };
}

function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

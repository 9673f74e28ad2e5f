import type { MixDatabase } from './mix';
import type { BenchServer } from './server';

export interface BenchContext {
  readonly server: BenchServer;
  /** Where --cpu-prof and heap profiles go (git-ignored *.profile files). */
  readonly profileDir: string;
  /** Whether to take CPU profiles of the measured phases (KOPPELSTUK_BENCH_PROFILE=1). */
  readonly profile: boolean;
  log(message: string): void;
  /** The 100,000-event realistic mix, written once per run on first use and shared (rebuild, audit). */
  mix(): Promise<MixDatabase>;
}

export interface LoadResult {
  readonly ops: number;
  readonly ms: number;
  /** One latency per operation, in ms. */
  readonly latencies: number[];
}

/**
 * `workers` concurrent loops, each running `op` up to `opsPerWorker` times or until `maxMs` has passed
 * (whichever comes first): bounded in requests and in time.
 */
export async function runLoad(workers: number, opsPerWorker: number, maxMs: number, op: (worker: number, i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + maxMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; i < opsPerWorker && performance.now() < deadline; i++) {
        const t = performance.now();
        await op(worker, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { ops: latencies.length, ms: performance.now() - started, latencies };
}

/** Sums rounds of the same measurement (taken alternately with a baseline, so that drift hits both). */
export function combine(results: readonly LoadResult[]): LoadResult {
  return {
    ops: results.reduce((sum, r) => sum + r.ops, 0),
    ms: results.reduce((sum, r) => sum + r.ms, 0),
    latencies: results.flatMap((r) => r.latencies),
  };
}

const cleanups = new Set<() => Promise<void>>();

/** Work to undo if the run is interrupted (Ctrl-C): stop processes, drop databases. Returns the unregister function. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export async function runInterruptCleanups(): Promise<void> {
  await Promise.all([...cleanups].map((cleanup) => cleanup().catch(() => undefined)));
  cleanups.clear();
}

/** Order statistics of latency samples (milliseconds). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest-rank: the smallest sample with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);
export const p99 = (samples: readonly number[]) => percentile(samples, 99);

/** Milliseconds since `start` (a performance.now() value). */
export const since = (start: number) => performance.now() - start;

export function rate(count: number, ms: number): number {
  return count / Math.max(ms / 1000, 1e-9);
}

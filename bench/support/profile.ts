import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import type { BenchContext } from './context';

/**
 * Runs `work` under V8's CPU profiler when profiling is on (KOPPELSTUK_BENCH_PROFILE=1), writing
 * bench/results/<name>.profile (a .cpuprofile JSON: open it in Chrome DevTools, or summarise it with
 * `node -r @swc-node/register bench/profile-summary.ts <file>`). Off, it just runs `work`.
 */
export async function withCpuProfile<T>(context: BenchContext, name: string, work: () => Promise<T>): Promise<T> {
  if (!context.profile) return work();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    const file = join(context.profileDir, `${name}.profile`);
    writeFileSync(file, JSON.stringify(profile));
    context.log(`CPU profile written to ${file}`);
    session.disconnect();
  }
}

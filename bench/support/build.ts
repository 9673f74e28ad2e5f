import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '@koppelstuk/testing';

/**
 * The bench's own build of the services (tools/build.mjs --out tmp/bench-dist), made once per run: a build
 * of dist/ by someone else meanwhile (npm start, the e2e tests) cannot pull files from under its processes.
 */
export const BENCH_DIST = join(ROOT, 'tmp', 'bench-dist');
let built = false;

export function ensureBuilt(): string {
  if (!built) {
    execFileSync(process.execPath, [join(ROOT, 'tools', 'build.mjs'), '--out', BENCH_DIST], { stdio: 'ignore' });
    built = true;
  }
  return BENCH_DIST;
}

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './network';

export const PORTAL_DIR = join(ROOT, 'services', 'portal', 'dist');

/** `vite build` of the portal into services/portal/dist, which the gateway serves at /. */
export function buildPortal(): Promise<void> {
  return new Promise((resolve, reject) => {
    const vite = spawn(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'services', 'portal', 'vite.config.mts'), '--logLevel', 'warn'], {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    vite.stdout.on('data', (chunk: Buffer) => (output += chunk));
    vite.stderr.on('data', (chunk: Buffer) => (output += chunk));
    vite.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`))));
  });
}

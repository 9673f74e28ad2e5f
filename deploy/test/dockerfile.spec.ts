import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEPLOY, deployableServices, REPO, SECRET_NAME } from './support';

/**
 * deploy/Dockerfile cannot be built here (no Docker engine), so it is read: instructions per stage, with line
 * continuations joined and comments dropped. The helper scripts it puts in every image are run for real.
 */
interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: Instruction[];
}

function parseDockerfile(text: string): { preamble: Instruction[]; stages: Stage[] } {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const joined: string[] = [];
  let current = '';
  for (const line of lines) {
    if (/\\\s*$/.test(line)) current += `${line.replace(/\\\s*$/, '')} `;
    else {
      current += line;
      if (current.trim()) joined.push(current.trim());
      current = '';
    }
  }
  const preamble: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of joined) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [, from = '', name = null] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0) preamble.push(instruction);
    else (stages[stages.length - 1] as Stage).instructions.push(instruction);
  }
  return { preamble, stages };
}

const dockerfile = parseDockerfile(readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8'));
const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
const runtime = dockerfile.stages[dockerfile.stages.length - 1] as Stage;
const args = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const SERVICES = deployableServices();

describe('deploy/Dockerfile', () => {
  it('builds FROM a Node 20 bookworm-slim image pinned to a full version, or from its own stages', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/.exec(dockerfile.preamble.map((i) => `${i.keyword} ${i.args}`).join('\n'))?.[1];
    expect(image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    const stages = dockerfile.stages.map((s) => s.name);
    for (const s of dockerfile.stages) expect(['${NODE_IMAGE}', ...stages]).toContain(s.from);
  });

  it('takes the service as the build argument SERVICE, accepts exactly the services under services/, and uses it', () => {
    const build = stage('build');
    expect(args(build, 'ARG')).toContain('SERVICE');
    expect(args(runtime, 'ARG')).toContain('SERVICE');
    const accepted = /case "\$\{SERVICE\}" in ([\w|]+)\)/.exec(args(build, 'RUN').join('\n'))?.[1]?.split('|').sort();
    expect(accepted).toEqual([...SERVICES.keys()].sort());
    const runs = args(build, 'RUN').join('\n');
    expect(runs).toContain('dist/services/${SERVICE}');
    expect(runs).toContain(`printf "require('./services/%s/src/main.js');\\n" "\${SERVICE}" > /out/app/dist/service.js`);
    expect(args(runtime, 'ENV').join(' ')).toContain('KOPPELSTUK_SERVICE=${SERVICE}');
  });

  it('installs with npm ci, compiles with tools/build.mjs, builds the portal for the gateway, prunes dev dependencies', () => {
    expect(args(stage('deps'), 'RUN').join('\n')).toMatch(/npm ci\b/);
    const build = args(stage('build'), 'RUN').join('\n');
    expect(build).toContain('node tools/build.mjs');
    // The portal is built exactly as its own Nx target builds it.
    const portal = JSON.parse(readFileSync(join(REPO, 'services', 'portal', 'project.json'), 'utf8')) as { targets: { build: { options: { command: string } } } };
    expect(build).toContain(`if [ "\${SERVICE}" = gateway ]; then npx --no-install ${portal.targets.build.options.command} && cp -R services/portal/dist/. /out/portal/`);
    expect(build).toContain('cp -R schema package.json /out/app/');
    expect(args(stage('prod-deps'), 'RUN').join('\n')).toContain('npm prune --omit=dev');
    expect(args(runtime, 'COPY')).toEqual(
      expect.arrayContaining(['--from=prod-deps /src/node_modules ./node_modules', '--from=build /out/app ./', '--from=build /out/portal ./services/portal/dist']),
    );
  });

  it('runs as a numeric non-root user, without a package manager or curl, with a node HEALTHCHECK on /health/live', () => {
    const users = args(runtime, 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = (users[0] ?? '').split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    const lastUser = runtime.instructions.map((i) => i.keyword).lastIndexOf('USER');
    expect(runtime.instructions.slice(lastUser).some((i) => i.keyword === 'RUN')).toBe(false);
    const runs = args(runtime, 'RUN').join('\n');
    expect(runs).not.toMatch(/apt-get install|apk add|curl|wget/);
    expect(runs).toContain('/usr/local/lib/node_modules/npm');
    const healthchecks = args(runtime, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    expect(healthchecks[0]).toMatch(/CMD \["node", "deploy\/docker\/healthcheck\.cjs", "live"\]$/);
    expect(args(runtime, 'CMD')).toEqual(['["node", "dist/service.js"]']);
  });

  it('needs nothing writable but /tmp: the image writes no state into itself at run time', () => {
    const env = args(runtime, 'ENV').join(' ');
    expect(env).toContain('HOST=0.0.0.0');
    expect(env).toContain('NODE_ENV=production');
    expect(args(runtime, 'VOLUME')).toEqual([]);
  });

  it('bakes no secret into the image', () => {
    const all = dockerfile.stages.flatMap((s) => s.instructions).concat(dockerfile.preamble);
    const named = all.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG').flatMap((i) => i.args.split(' ').map((pair) => pair.split('=')[0] ?? ''));
    expect(named.filter((name) => SECRET_NAME.test(name))).toEqual([]);
    const copied = all.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map((i) => i.args);
    expect(copied.filter((a) => /secrets|\.env|\.koppelstuk|master\.key/.test(a))).toEqual([]);
  });

  it('keeps local, generated and secret files out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.git', '.koppelstuk', '**/node_modules', 'dist', '**/.env', 'deploy/secrets', 'services/portal/dist']));
  });
});

describe('deploy/docker/healthcheck.cjs', () => {
  const script = join(DEPLOY, 'docker', 'healthcheck.cjs');
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/health/live' ? 200 : 503;
      response.end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((closed) => server.close(closed)));

  const run = (argv: string[], env: NodeJS.ProcessEnv) =>
    new Promise<number | null>((exited) => {
      const child = spawn(process.execPath, [script, ...argv], { env: { PATH: process.env['PATH'], ...env }, stdio: 'ignore' });
      child.on('exit', exited);
    });

  it('exits 0 when /health/live answers 2xx and 1 when /health/ready does not', async () => {
    expect(await run(['live'], { PORT: String(port) })).toBe(0);
    expect(await run(['ready'], { PORT: String(port) })).toBe(1);
  });

  it('exits 1 when nothing listens, and without a port to ask', async () => {
    server.close();
    expect(await run(['live'], { PORT: String(port), HEALTHCHECK_TIMEOUT_MS: '1000' })).toBe(1);
    expect(await run(['live'], {})).toBe(1);
  });

  it('knows every service\'s default port', () => {
    const defaults = /DEFAULT_PORTS = (\{[^}]+\})/.exec(readFileSync(script, 'utf8'))?.[1] ?? '';
    const ports = Object.fromEntries([...defaults.matchAll(/(\w+): (\d+)/g)].map(([, name, value]) => [name, Number(value)]));
    expect(ports).toEqual(Object.fromEntries(SERVICES));
  });
});

describe('the seed job (libs/seed/src/cli/main.ts)', () => {
  const run = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stderr: string }>((exited) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', join(REPO, 'libs', 'seed', 'src', 'cli', 'main.ts')], {
        cwd: REPO,
        env: { PATH: process.env['PATH'], SWC_NODE_PROJECT: join(REPO, 'tsconfig.base.json'), ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => exited({ code, stderr }));
    });

  it('stops with exit code 78 and a clear message when the event store is configured wrongly', async () => {
    expect(await run({ EVENT_STORE: 'kurrentdb' })).toEqual({ code: 78, stderr: expect.stringContaining('needs KURRENTDB_CONNECTION_STRING') });
    expect(await run({ EVENT_STORE: 'mysql' })).toEqual({ code: 78, stderr: expect.stringContaining('EVENT_STORE must be postgres or kurrentdb') });
    expect(await run({ DATABASE_URL: 'mysql://x' })).toEqual({ code: 78, stderr: expect.stringContaining('DATABASE_URL must be a postgres:// connection string') });
  }, 60_000);
});

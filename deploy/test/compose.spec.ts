import { join } from 'node:path';
import { DEPLOY, deployableServices, imageTag, koppelstukService, readYaml, SECRET_NAME, URL_WITH_PASSWORD } from './support';

/** deploy/compose.yaml, parsed as Compose reads it (YAML merge keys resolved), held to the same invariants. */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  profiles?: string[];
  restart?: string;
  read_only?: boolean;
  tmpfs?: string[];
  user?: string;
  cap_drop?: string[];
  security_opt?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required?: boolean }[];
  secrets?: string[];
  ports?: string[];
  networks?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string; required?: boolean }>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string; environment?: string }>;
  networks?: Record<string, { internal?: boolean } | null>;
}

const compose = readYaml<ComposeFile>(join(DEPLOY, 'compose.yaml'));
const SERVICES = deployableServices();
const SUBGRAPHS = [...SERVICES.keys()].filter((name) => name !== 'gateway');
const koppelstuk = Object.entries(compose.services).filter(([, s]) => s.build);
const longRunning = Object.entries(compose.services).filter(([, s]) => s.restart !== 'no');
/** A value that Compose interpolates from the environment (or .env) rather than a literal. */
const INTERPOLATED = /^\$\{[A-Z_][A-Z0-9_]*(:?[-?][^}]*)?\}$/;
/** The text with every `${NAME:-default}` replaced by its default, as Compose would with nothing set. */
const withDefaults = (text: string) => text.replace(/\$\{[A-Z_][A-Z0-9_]*:-([^}]*)\}/g, '$1');

describe('deploy/compose.yaml', () => {
  it('runs every deployable service, built from deploy/Dockerfile with SERVICE naming a service under services/', () => {
    const problems: string[] = [];
    for (const service of SERVICES.keys()) if (!compose.services[service]?.build) problems.push(`no service ${service}`);
    for (const [name, s] of koppelstuk) {
      const arg = s.build?.args?.['SERVICE'] ?? '';
      if (s.build?.context !== '..' || s.build.dockerfile !== 'deploy/Dockerfile') problems.push(`${name}: not built from deploy/Dockerfile in the repository root`);
      if (!SERVICES.has(arg)) problems.push(`${name}: SERVICE=${arg} is no service under services/`);
      if (koppelstukService(withDefaults(s.image ?? '')) !== arg) problems.push(`${name}: image ${s.image} does not match SERVICE=${arg}`);
    }
    expect(problems).toEqual([]);
  });

  it('pins the third-party images to a version', () => {
    const problems = Object.entries(compose.services)
      .filter(([, s]) => !s.build)
      .filter(([, s]) => {
        const tag = imageTag(withDefaults(s.image ?? ''));
        return !tag || tag === 'latest' || !/\d/.test(tag);
      })
      .map(([name, s]) => `${name}: ${s.image}`);
    expect(problems).toEqual([]);
  });

  it('runs Koppelstuk containers read-only with a tmpfs /tmp, as a numeric non-root user, without capabilities or privilege escalation', () => {
    const problems: string[] = [];
    for (const [name, s] of koppelstuk) {
      const user = Number((s.user ?? '').split(':')[0]);
      if (s.read_only !== true) problems.push(`${name}: root filesystem writable`);
      if (!s.tmpfs?.some((t) => t.split(':')[0] === '/tmp')) problems.push(`${name}: no tmpfs /tmp`);
      if (!Number.isInteger(user) || user <= 0) problems.push(`${name}: user ${s.user} is not a numeric non-root id`);
      if (!s.cap_drop?.includes('ALL')) problems.push(`${name}: capabilities kept`);
      if (!s.security_opt?.includes('no-new-privileges:true')) problems.push(`${name}: privilege escalation possible`);
    }
    for (const [name, s] of Object.entries(compose.services)) {
      if (!s.security_opt?.includes('no-new-privileges:true')) problems.push(`${name}: privilege escalation possible`);
    }
    expect(problems).toEqual([]);
  });

  it('writes no secret value: secrets are files or come from the environment', () => {
    const problems: string[] = [];
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(s.environment ?? {})) {
        const text = String(value);
        if (URL_WITH_PASSWORD.test(text) || text.includes('-----BEGIN')) problems.push(`${name}: ${variable} holds a credential`);
        if (!SECRET_NAME.test(variable)) continue;
        if (/_FILE$/.test(variable)) {
          const secret = /^\/run\/secrets\/([\w-]+)$/.exec(text)?.[1];
          if (!secret || !s.secrets?.includes(secret) || !compose.secrets?.[secret]) problems.push(`${name}: ${variable}=${text} is not a declared Compose secret`);
        } else if (!INTERPOLATED.test(text) || /:-[^}]/.test(text)) {
          problems.push(`${name}: ${variable} is not taken from the environment`);
        }
      }
    }
    for (const [name, secret] of Object.entries(compose.secrets ?? {})) {
      if (!secret.file && !secret.environment) problems.push(`secret ${name} is neither a file nor an environment variable`);
      if (secret.file && !secret.file.startsWith('./secrets/')) problems.push(`secret ${name} is not in the git-ignored secrets/ folder`);
    }
    expect(problems).toEqual([]);
  });

  it('runs in production mode unless told otherwise, and never hands a service an empty variable', () => {
    const problems: string[] = [];
    for (const [name, s] of koppelstuk) {
      if (s.environment?.['NODE_ENV'] !== '${NODE_ENV:-production}') problems.push(`${name}: NODE_ENV is ${s.environment?.['NODE_ENV']}`);
      // An empty string is not "unset": the services' optional URL settings reject it and refuse to start.
      for (const [variable, value] of Object.entries(s.environment ?? {})) {
        if (withDefaults(String(value)) === '') problems.push(`${name}: ${variable} may be empty`);
      }
      if (!s.env_file?.some((file) => file.path === './oidc.env' && file.required === false)) problems.push(`${name}: does not read the optional oidc.env`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every long-running container a health check, subgraphs and gateway on /health/ready', () => {
    const problems: string[] = [];
    for (const [name, s] of longRunning) {
      if (!s.healthcheck?.test || s.healthcheck.disable) problems.push(`${name}: no health check`);
    }
    for (const name of SERVICES.keys()) {
      const test = compose.services[name]?.healthcheck?.test ?? [];
      if (test.join(' ') !== 'CMD node deploy/docker/healthcheck.cjs ready') problems.push(`${name}: health check is ${test.join(' ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('starts in order: stores healthy → migrate-seed done → subgraphs healthy → gateway', () => {
    const seed = compose.services['migrate-seed'];
    expect(seed?.restart).toBe('no');
    expect(seed?.command).toEqual(['node', 'dist/libs/seed/src/cli/main.js']);
    expect(seed?.depends_on?.['postgres']).toEqual({ condition: 'service_healthy' });
    const problems: string[] = [];
    for (const name of SUBGRAPHS) {
      const after = compose.services[name]?.depends_on ?? {};
      if (after['migrate-seed']?.condition !== 'service_completed_successfully') problems.push(`${name}: does not wait for migrate-seed`);
      if (after['postgres']?.condition !== 'service_healthy') problems.push(`${name}: does not wait for postgres`);
      for (const node of ['kurrentdb', 'kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3']) {
        if (after[node]?.condition !== 'service_healthy' || after[node]?.required !== false) problems.push(`${name}: does not wait for ${node} when it runs`);
      }
      if (compose.services['gateway']?.depends_on?.[name]?.condition !== 'service_healthy') problems.push(`gateway: does not wait for ${name}`);
    }
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(s.depends_on ?? {})) {
        if (!compose.services[dependency]) problems.push(`${name}: depends on unknown ${dependency}`);
        if (!['service_healthy', 'service_completed_successfully'].includes(condition)) problems.push(`${name}: waits for ${dependency} only to start`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('switches every store client between PostgreSQL and KurrentDB with EVENT_STORE, with a 1-node and a 3-node KurrentDB profile', () => {
    const problems: string[] = [];
    for (const name of [...SUBGRAPHS, 'migrate-seed']) {
      const environment = compose.services[name]?.environment ?? {};
      if (environment['EVENT_STORE'] !== '${EVENT_STORE:-postgres}') problems.push(`${name}: EVENT_STORE is ${environment['EVENT_STORE']}`);
      if (!/^\$\{KURRENTDB_CONNECTION_STRING:-kurrentdb:\/\/kurrentdb:2113\?tls=false\}$/.test(environment['KURRENTDB_CONNECTION_STRING'] ?? '')) problems.push(`${name}: no KURRENTDB_CONNECTION_STRING`);
      if (!/^postgres:\/\/\w+:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/\w+$/.test(environment['DATABASE_URL'] ?? '')) problems.push(`${name}: DATABASE_URL is ${environment['DATABASE_URL']}`);
    }
    expect(problems).toEqual([]);
    expect(compose.services['kurrentdb']?.profiles).toEqual(['kurrentdb']);
    expect(compose.services['kurrentdb']?.environment?.['KURRENTDB_CLUSTER_SIZE']).toBe('1');
    for (const node of [1, 2, 3]) {
      const s = compose.services[`kurrentdb-${node}`];
      expect(s?.profiles).toEqual(['kurrentdb-cluster']);
      expect(s?.environment?.['KURRENTDB_CLUSTER_SIZE']).toBe('3');
      const others = [1, 2, 3].filter((n) => n !== node).map((n) => `kurrentdb-${n}:2113`);
      expect(s?.environment?.['KURRENTDB_GOSSIP_SEED']?.split(',').sort()).toEqual(others);
      expect(s?.volumes?.[0]).toMatch(new RegExp(`^kurrentdb-${node}-data:`));
    }
  });

  it('publishes the gateway only, and keeps it off the data network', () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length).map(([name]) => name);
    expect(published).toEqual(['gateway']);
    expect(compose.services['gateway']?.networks).not.toContain('data');
    expect(compose.services['gateway']?.environment?.['DATABASE_URL']).toBeUndefined();
    expect(compose.networks?.['data']?.internal).toBe(true);
    for (const name of ['postgres', 'kurrentdb', 'kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3']) expect(compose.services[name]?.networks).toEqual(['data']);
  });

  it('points the gateway at every subgraph on its default port', () => {
    const environment = compose.services['gateway']?.environment ?? {};
    for (const name of SUBGRAPHS) expect(environment[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${SERVICES.get(name)}/graphql`);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { resolveDatabase } from '../database-url';
import { freePort } from '../test-databases';
import { EmbeddedPostgresError, RELOCATED_CLUSTERS, startEmbeddedPostgres } from './embedded-postgres';

const scratch = () => join(tmpdir(), `koppelstuk-embedded-spec-${randomBytes(4).toString('hex')}`);

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL server', () => {
  it('starts a real PostgreSQL 18 server, and a throwaway one leaves nothing behind when stopped', async () => {
    const dataDir = scratch();
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    const [row] = (await query(server.connectionString(), 'show server_version')) as { server_version: string }[];
    expect(row?.server_version).toMatch(/^18\./);
    await server.stop();
    expect(existsSync(dataDir)).toBe(false);
    await expect(query(server.connectionString(), 'select 1')).rejects.toThrow();
  });

  it('keeps data between runs and lets a second process attach to the running server', async () => {
    const root = scratch();
    const dataDir = join(root, 'postgres');
    const port = await freePort();
    try {
      const first = await startEmbeddedPostgres({ dataDir, port, persistent: true });
      await first.ensureDatabase('koppelstuk');
      await query(first.connectionString('koppelstuk'), 'create table kept (id int); insert into kept values (42)');

      const attached = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: true });
      expect(attached.owned).toBe(false);
      expect(attached.port).toBe(port);
      await attached.stop(); // not its server: still running
      expect(await query(first.connectionString('koppelstuk'), 'select id from kept')).toEqual([{ id: 42 }]);
      await first.stop();

      const again = await startEmbeddedPostgres({ dataDir, port, persistent: true });
      expect(again.owned).toBe(true);
      expect(await query(again.connectionString('koppelstuk'), 'select id from kept')).toEqual([{ id: 42 }]);
      await again.stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says clearly when the port is taken', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const failure = await startEmbeddedPostgres({ dataDir: scratch(), port, persistent: false }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(EmbeddedPostgresError);
      expect((failure as Error).message).toContain(`port ${port}`);
      expect((failure as Error).message).toContain('KOPPELSTUK_EMBEDDED_PG_PORT');
    } finally {
      blocker.close();
    }
  });
});

// Only root runs the server as another user (postgres), so only as root can a directory be out of its reach.
const isRoot = process.getuid?.() === 0;
const asRoot = isRoot ? describe : describe.skip;

asRoot(`embedded PostgreSQL started by root in a directory the postgres user cannot enter${isRoot ? '' : ' — skipped: not running as root, so the server runs as this user and reaches any folder it can'}`, () => {
  it('a persistent cluster is placed under /var/lib/koppelstuk, linked from the asked path, and found again', async () => {
    const home = scratch();
    mkdirSync(home, { mode: 0o700 }); // like /root or a mktemp folder
    const dataDir = join(home, '.koppelstuk', 'postgres');
    const port = await freePort();
    let relocated = '';
    try {
      const first = await startEmbeddedPostgres({ dataDir, port, persistent: true });
      relocated = first.dataDir;
      expect(relocated.startsWith(`${RELOCATED_CLUSTERS}/`)).toBe(true);
      expect(lstatSync(dataDir).isSymbolicLink()).toBe(true);
      expect(readlinkSync(dataDir)).toBe(relocated);
      await first.ensureDatabase('koppelstuk');
      await query(first.connectionString('koppelstuk'), 'create table kept (id int); insert into kept values (7)');
      await first.stop();

      const again = await startEmbeddedPostgres({ dataDir, port, persistent: true });
      expect(again.dataDir).toBe(relocated);
      expect(await query(again.connectionString('koppelstuk'), 'select id from kept')).toEqual([{ id: 7 }]);
      await again.stop();
    } finally {
      rmSync(home, { recursive: true, force: true });
      if (relocated) rmSync(relocated, { recursive: true, force: true });
    }
  });

  it('a throwaway cluster there is refused with the directory named and what to do', async () => {
    const home = scratch();
    mkdirSync(home, { mode: 0o700 });
    try {
      const failure = await startEmbeddedPostgres({ dataDir: join(home, 'pg'), port: await freePort(), persistent: false }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(EmbeddedPostgresError);
      expect((failure as Error).message).toContain(`cannot enter ${home}`);
      expect((failure as Error).message).toContain('KOPPELSTUK_DATA_DIR');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('resolveDatabase', () => {
  it('uses DATABASE_URL as given and starts nothing', async () => {
    const resolved = await resolveDatabase({ DATABASE_URL: 'postgres://someone@db.example:5432/koppelstuk' });
    expect(resolved).toEqual({ url: 'postgres://someone@db.example:5432/koppelstuk', embedded: null });
  });

  it('without DATABASE_URL starts the embedded server in KOPPELSTUK_DATA_DIR with a koppelstuk database', async () => {
    const root = scratch();
    try {
      const resolved = await resolveDatabase({ KOPPELSTUK_DATA_DIR: root, KOPPELSTUK_EMBEDDED_PG_PORT: String(await freePort()) });
      expect(resolved.url).toMatch(/\/koppelstuk$/);
      expect(await query(resolved.url, 'select current_database() as db')).toEqual([{ db: 'koppelstuk' }]);
      await resolved.embedded?.stop();
      expect(existsSync(join(root, 'postgres', 'PG_VERSION'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

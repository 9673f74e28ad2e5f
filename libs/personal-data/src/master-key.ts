import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The key-encryption key that wraps every subject key at rest. From KOPPELSTUK_MASTER_KEY (base64, 32
 * bytes) or the file KOPPELSTUK_MASTER_KEY_FILE (a mounted secret). Without either, outside production,
 * one is generated in the data directory so that a laptop install works; production refuses to start.
 */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): MasterKey {
  const inline = env['KOPPELSTUK_MASTER_KEY'];
  const file = env['KOPPELSTUK_MASTER_KEY_FILE'];
  if (inline) return parse(inline, 'KOPPELSTUK_MASTER_KEY');
  if (file) return parse(readFileSync(file, 'utf8'), `the file ${file}`);
  if (env['NODE_ENV'] === 'production') {
    throw new Error('Set KOPPELSTUK_MASTER_KEY or KOPPELSTUK_MASTER_KEY_FILE: production does not generate a master key');
  }
  const path = join(resolve(env['KOPPELSTUK_DATA_DIR'] ?? '.koppelstuk'), 'master.key');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return parse(readFileSync(path, 'utf8'), path);
}

function parse(text: string, source: string): MasterKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${source} must hold 32 random bytes, base64-encoded (e.g. openssl rand -base64 32)`);
  // The id names the key (not a secret): it tells which master key wrapped a subject key, for rotation.
  const id = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return { id, key };
}

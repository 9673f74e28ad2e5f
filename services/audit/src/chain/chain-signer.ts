import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Signs chain checkpoints. The private key stays inside; only the public key and its id are exposed. */
export interface ChainSigner {
  /** SPKI PEM, stored with every checkpoint so that anyone can verify it. */
  readonly publicKeyPem: string;
  /** A short fingerprint of the public key (not a secret), to tell keys apart after a rotation. */
  readonly keyId: string;
  /** Ed25519 signature (base64) over `checkpointMessage(sequence, hash)`. */
  sign(sequence: number, hash: string): string;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** What a checkpoint signs: documented in schema/subgraphs/audit.graphql, so that auditors can check it with any tool. */
export const checkpointMessage = (sequence: number, hash: string): string => `koppelstuk-chain:${sequence}:${hash}`;

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function signerFromPem(pem: string, source: string): ChainSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // Never echo the file's content: it is a secret.
    throw new SigningKeyError(`${source} does not hold a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${source} must hold an Ed25519 key (PKCS8 PEM), not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
    sign: (sequence, hash) => sign(null, Buffer.from(checkpointMessage(sequence, hash), 'utf8'), privateKey).toString('base64'),
  };
}

/** True when `signature` is a valid Ed25519 signature of the checkpoint by the key in `publicKeyPem`. */
export function verifyCheckpointSignature(publicKeyPem: string, sequence: number, hash: string, signature: string): boolean {
  try {
    const publicKey = createPublicKey({ key: publicKeyPem, format: 'pem' });
    return verify(null, Buffer.from(checkpointMessage(sequence, hash), 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export interface SigningKeySource {
  /** KOPPELSTUK_AUDIT_SIGNING_KEY_FILE: an Ed25519 private key in PKCS8 PEM (a mounted secret). */
  readonly keyFile?: string | undefined;
  /** KOPPELSTUK_DATA_DIR: where a generated key is kept when no file is given. */
  readonly dataDir: string;
  readonly production: boolean;
}

/**
 * The checkpoint signing key: from the configured file, or (outside production) generated once in the data
 * directory, readable by its owner only, and reused by every later run. Production refuses to invent a key:
 * checkpoints are only worth something if the key is managed.
 */
export function loadChainSigner(source: SigningKeySource): ChainSigner {
  if (source.keyFile) {
    if (!existsSync(source.keyFile)) throw new SigningKeyError(`KOPPELSTUK_AUDIT_SIGNING_KEY_FILE names ${source.keyFile}, which does not exist`);
    return signerFromPem(readFileSync(source.keyFile, 'utf8'), source.keyFile);
  }
  if (source.production) {
    throw new SigningKeyError('Set KOPPELSTUK_AUDIT_SIGNING_KEY_FILE: production does not generate a checkpoint signing key');
  }
  const path = join(resolve(source.dataDir), 'audit-signing-key.pem');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      // 'wx': when two processes start at once, the first key written wins and both use it.
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(path, 0o600);
  return signerFromPem(readFileSync(path, 'utf8'), path);
}

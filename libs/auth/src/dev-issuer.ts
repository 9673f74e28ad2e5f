import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';
import type { Role } from '@koppelstuk/domain';

export const DEV_ISSUER = 'urn:koppelstuk:dev-issuer';
export const DEV_AUDIENCE = 'koppelstuk';
const ALG = 'ES256';

export interface TokenRequest {
  readonly userId: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
  readonly expiresInSeconds?: number;
  /** Tests use these to make tokens that must be refused. */
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * The development identity provider: when no OIDC issuer is configured, tokens are signed with a local
 * ES256 key pair kept in the data directory (private key readable by its owner only). Every service of
 * the installation trusts its public key set.
 */
export class DevIssuer {
  private constructor(
    private readonly privateKey: KeyLike | Uint8Array,
    private readonly publicJwk: JWK,
  ) {}

  /**
   * The key pair in `<dataDir>/dev-issuer/`, created on first use. Services started at the same moment
   * all call this: the key is created in a temporary file and linked into place, which fails for all but
   * one of them, and the others then load the winner's key, so every process trusts the same key.
   */
  static async loadOrCreate(dataDir: string): Promise<DevIssuer> {
    const dir = join(dataDir, 'dev-issuer');
    const privateFile = join(dir, 'private.jwk.json');
    if (!existsSync(privateFile)) {
      mkdirSync(dir, { recursive: true });
      const candidate = await DevIssuer.ephemeral();
      const temporary = join(dir, `.private.${process.pid}.${randomBytes(4).toString('hex')}`);
      writeFileSync(temporary, JSON.stringify(await exportJWK(candidate.privateKey as KeyLike)), { mode: 0o600 });
      try {
        linkSync(temporary, privateFile);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        rmSync(temporary, { force: true });
      }
    }
    const privateJwk = JSON.parse(readFileSync(privateFile, 'utf8')) as JWK;
    const { d: _d, ...publicJwk } = privateJwk;
    const issuer = new DevIssuer(await importJWK(privateJwk, ALG), { ...publicJwk, kid: await calculateJwkThumbprint(publicJwk), alg: ALG, use: 'sig' });
    const jwksFile = join(dir, 'jwks.json');
    if (!existsSync(jwksFile)) {
      const temporary = `${jwksFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(temporary, JSON.stringify(issuer.jwks(), null, 2));
      renameSync(temporary, jwksFile);
    }
    return issuer;
  }

  /** A key pair that lives in memory only. */
  static async ephemeral(): Promise<DevIssuer> {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = await exportJWK(publicKey);
    return new DevIssuer(privateKey, { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALG, use: 'sig' });
  }

  /** The public key set, as `<dataDir>/dev-issuer/jwks.json` holds it. */
  static readJwks(dataDir: string): JSONWebKeySet | null {
    const file = join(dataDir, 'dev-issuer', 'jwks.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet) : null;
  }

  jwks(): JSONWebKeySet {
    return { keys: [this.publicJwk] };
  }

  issue(request: TokenRequest): Promise<string> {
    return new SignJWT({ org: request.organisationId, roles: [...request.roles] })
      .setProtectedHeader({ alg: ALG, kid: this.publicJwk.kid as string, typ: 'JWT' })
      .setSubject(request.userId)
      .setIssuer(request.issuer ?? DEV_ISSUER)
      .setAudience(request.audience ?? DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${request.expiresInSeconds ?? 8 * 3600}s`)
      .sign(this.privateKey);
  }
}

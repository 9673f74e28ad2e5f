import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SubjectKey, SubjectKeyStore } from './subject-key-store';

/** How personal data is stored inside an event: ciphertext under the subject's key, and where to find the key. */
export interface SealedPersonalData {
  readonly alg: 'A256GCM';
  readonly subjectId: string;
  readonly keyId: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/** What a reader gets back: the data, or the fact that it was erased. */
export type OpenedPersonalData<T> = { readonly erased: false; readonly value: T } | { readonly erased: true };

export const ERASED = { erased: true } as const;

export function isSealed(value: unknown): value is SealedPersonalData {
  return typeof value === 'object' && value !== null && (value as { alg?: unknown }).alg === 'A256GCM' && 'ciphertext' in value;
}

export function sealWith(key: SubjectKey, value: object): SealedPersonalData {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  // Binding the ciphertext to its subject and key stops it being moved under another subject's name.
  cipher.setAAD(Buffer.from(`${key.subjectId}:${key.keyId}`));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    subjectId: key.subjectId,
    keyId: key.keyId,
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

export function openWith<T>(keys: ReadonlyMap<string, SubjectKey>, sealed: SealedPersonalData): OpenedPersonalData<T> {
  const key = keys.get(sealed.subjectId);
  if (!key || key.keyId !== sealed.keyId) return ERASED;
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(`${sealed.subjectId}:${sealed.keyId}`));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  return { erased: false, value: JSON.parse(plaintext.toString('utf8')) as T };
}

/** Seals and opens personal data for one subject or many, with one key lookup per call. */
export class PersonalDataCipher {
  constructor(private readonly keys: SubjectKeyStore) {}

  async seal(subjectId: string, value: object): Promise<SealedPersonalData> {
    return sealWith(await this.keys.keyForWriting(subjectId), value);
  }

  async open<T>(sealed: SealedPersonalData): Promise<OpenedPersonalData<T>> {
    return openWith<T>(await this.keys.keysForReading([sealed.subjectId]), sealed);
  }

  async openMany<T>(sealed: readonly SealedPersonalData[]): Promise<OpenedPersonalData<T>[]> {
    const keys = await this.keys.keysForReading(sealed.map((s) => s.subjectId));
    return sealed.map((s) => openWith<T>(keys, s));
  }
}

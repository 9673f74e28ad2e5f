import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { MasterKey } from './master-key';
import type { SqlExecutor } from './sql';

export interface SubjectKey {
  readonly subjectId: string;
  readonly keyId: string;
  readonly key: Buffer;
}

export class SubjectErasedError extends Error {
  constructor(readonly subjectId: string) {
    super(`The personal data of subject ${subjectId} has been erased`);
    this.name = 'SubjectErasedError';
  }
}

interface KeyRow {
  subject_id: string;
  key_id: string;
  wrapped_key: Buffer | null;
}

/**
 * One AES-256 data key per data subject, stored wrapped (AES-256-GCM under the master key) in
 * personal_data.subject_keys. Erasure deletes the key material and leaves a tombstone, so the subject's
 * ciphertext in the event log becomes unreadable everywhere at once (crypto-shredding) and no new key is
 * ever made for an erased subject. Keys are never logged and never cached across calls.
 */
export class SubjectKeyStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly master: MasterKey,
  ) {}

  async keyForWriting(subjectId: string): Promise<SubjectKey> {
    // Most writes are for a person who already has a key: a plain read, no write and no commit to wait for.
    const existing = await this.row(subjectId);
    if (existing) return this.usable(subjectId, existing);
    const key = randomBytes(32);
    const keyId = randomUUID();
    await this.sql.query(
      `insert into personal_data.subject_keys (subject_id, key_id, wrapped_key, master_key_id)
       values ($1, $2, $3, $4) on conflict (subject_id) do nothing`,
      [subjectId, keyId, this.wrap(key, subjectId, keyId), this.master.id],
    );
    // Another writer (or an erasure) may have got there first: what is stored now is what counts.
    return this.usable(subjectId, await this.row(subjectId));
  }

  private async row(subjectId: string): Promise<KeyRow | undefined> {
    const [row] = await this.sql.query<KeyRow>('select subject_id, key_id, wrapped_key from personal_data.subject_keys where subject_id = $1', [subjectId]);
    return row;
  }

  private usable(subjectId: string, row: KeyRow | undefined): SubjectKey {
    if (!row?.wrapped_key) throw new SubjectErasedError(subjectId);
    return { subjectId: row.subject_id, keyId: row.key_id, key: this.unwrap(row) };
  }

  /** The keys of these subjects that still exist; erased or unknown subjects are simply absent. */
  async keysForReading(subjectIds: readonly string[]): Promise<Map<string, SubjectKey>> {
    const unique = [...new Set(subjectIds)];
    const keys = new Map<string, SubjectKey>();
    if (unique.length === 0) return keys;
    const rows = await this.sql.query<KeyRow>(
      'select subject_id, key_id, wrapped_key from personal_data.subject_keys where subject_id = any($1::uuid[]) and wrapped_key is not null',
      [unique],
    );
    for (const row of rows) keys.set(row.subject_id, { subjectId: row.subject_id, keyId: row.key_id, key: this.unwrap(row) });
    return keys;
  }

  /** Deletes the subject's key. Idempotent; a subject without a key yet gets a tombstone. */
  async erase(subjectId: string): Promise<void> {
    await this.sql.query(
      `insert into personal_data.subject_keys (subject_id, key_id, wrapped_key, master_key_id, erased_at)
       values ($1, $2, null, null, now())
       on conflict (subject_id) do update set wrapped_key = null, master_key_id = null, erased_at = coalesce(personal_data.subject_keys.erased_at, now())`,
      [subjectId, randomUUID()],
    );
  }

  async isErased(subjectId: string): Promise<boolean> {
    const [row] = await this.sql.query<{ erased: boolean }>(
      'select wrapped_key is null as erased from personal_data.subject_keys where subject_id = $1',
      [subjectId],
    );
    return row?.erased ?? false;
  }

  private wrap(key: Buffer, subjectId: string, keyId: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.master.key, iv);
    cipher.setAAD(Buffer.from(`${subjectId}:${keyId}`));
    const wrapped = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), wrapped]);
  }

  private unwrap(row: KeyRow): Buffer {
    const blob = row.wrapped_key as Buffer;
    const decipher = createDecipheriv('aes-256-gcm', this.master.key, blob.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${row.subject_id}:${row.key_id}`));
    decipher.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
  }
}

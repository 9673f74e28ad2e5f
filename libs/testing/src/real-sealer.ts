import { Pool } from 'pg';
import type { JsonObject } from '@koppelstuk/event-store';
import { masterKeyFromEnv, PersonalDataCipher, sqlExecutor, SubjectKeyStore } from '@koppelstuk/personal-data';
import type { Sealer } from './referral-writer';

/**
 * Seals personal data exactly as the referrals service does: with the subject keys in the database and
 * the master key of the data directory (a service under test creates both at start).
 */
export function realSealer(databaseUrl: string, dataDir: string): { seal: Sealer; keys: SubjectKeyStore; close(): Promise<void> } {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  const keys = new SubjectKeyStore(sqlExecutor(pool), masterKeyFromEnv({ KOPPELSTUK_DATA_DIR: dataDir }));
  const cipher = new PersonalDataCipher(keys);
  return {
    seal: async (subjectId, value) => (await cipher.seal(subjectId, value)) as unknown as JsonObject,
    keys,
    close: () => pool.end(),
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { AccessLog } from './access-log';
import { masterKeyFromEnv, type MasterKey } from './master-key';
import { PersonalDataTables1764000000000 } from './migration';
import { PersonalDataCipher, sealWith } from './sealed-data';
import { sqlExecutor } from './sql';
import { SubjectErasedError, SubjectKeyStore } from './subject-key-store';

describe('personal data: per-subject keys, sealing, erasure, access log', () => {
  let server: TestServer;
  let database: TestDatabase;
  let dataSource: DataSource;
  let keys: SubjectKeyStore;
  let cipher: PersonalDataCipher;
  const master: MasterKey = masterKeyFromEnv({ KOPPELSTUK_MASTER_KEY: randomBytes(32).toString('base64') });

  beforeAll(async () => {
    server = await defaultTestServer();
    database = await createTestDatabase(server, 'personal_data');
    dataSource = new DataSource({ type: 'postgres', url: database.url, migrations: [PersonalDataTables1764000000000], migrationsRun: false });
    await dataSource.initialize();
    await dataSource.runMigrations();
    keys = new SubjectKeyStore(sqlExecutor(dataSource), master);
    cipher = new PersonalDataCipher(keys);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    await server?.stop();
  });

  it('seals personal data so the stored form holds no plaintext, and opens it again', async () => {
    const subjectId = randomUUID();
    const sealed = await cipher.seal(subjectId, { contactName: 'Fatima el Amrani', contactEmail: 'fatima@bakkerij.nl' });
    expect(JSON.stringify(sealed)).not.toContain('Fatima');
    expect(sealed).toMatchObject({ alg: 'A256GCM', subjectId });
    await expect(cipher.open(sealed)).resolves.toEqual({
      erased: false,
      value: { contactName: 'Fatima el Amrani', contactEmail: 'fatima@bakkerij.nl' },
    });
  });

  it('uses one key per subject, stored only wrapped by the master key', async () => {
    const subjectId = randomUUID();
    const first = await keys.keyForWriting(subjectId);
    const again = await keys.keyForWriting(subjectId);
    expect(again.keyId).toBe(first.keyId);
    expect(again.key.equals(first.key)).toBe(true);
    const [row] = await dataSource.query('select wrapped_key from personal_data.subject_keys where subject_id = $1', [subjectId]);
    expect((row.wrapped_key as Buffer).includes(first.key)).toBe(false);
    const otherMaster = new SubjectKeyStore(sqlExecutor(dataSource), masterKeyFromEnv({ KOPPELSTUK_MASTER_KEY: randomBytes(32).toString('base64') }));
    await expect(otherMaster.keysForReading([subjectId])).rejects.toThrow();
  });

  it('erasing the subject makes every sealed value read as erased, and no new key is ever made', async () => {
    const subjectId = randomUUID();
    const sealed = [await cipher.seal(subjectId, { a: 1 }), await cipher.seal(subjectId, { b: 2 })];
    await keys.erase(subjectId);
    await keys.erase(subjectId);
    await expect(cipher.openMany(sealed)).resolves.toEqual([{ erased: true }, { erased: true }]);
    await expect(cipher.seal(subjectId, { c: 3 })).rejects.toBeInstanceOf(SubjectErasedError);
    await expect(keys.isErased(subjectId)).resolves.toBe(true);
  });

  it('an erasure request before any data was sealed still prevents a key from being made', async () => {
    const subjectId = randomUUID();
    await keys.erase(subjectId);
    await expect(keys.keyForWriting(subjectId)).rejects.toBeInstanceOf(SubjectErasedError);
  });

  it('opens many values of many subjects with one key lookup, erased ones marked', async () => {
    const [alive, gone] = [randomUUID(), randomUUID()];
    const sealed = [await cipher.seal(alive, { n: 1 }), await cipher.seal(gone, { n: 2 }), await cipher.seal(alive, { n: 3 })];
    await keys.erase(gone);
    await expect(cipher.openMany(sealed)).resolves.toEqual([{ erased: false, value: { n: 1 } }, { erased: true }, { erased: false, value: { n: 3 } }]);
  });

  it('refuses ciphertext that was altered or moved to another subject', async () => {
    const subjectId = randomUUID();
    const sealed = await cipher.seal(subjectId, { secret: 'x' });
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = (flipped[0] as number) ^ 1;
    await expect(cipher.open({ ...sealed, ciphertext: flipped.toString('base64') })).rejects.toThrow();
    const other = await keys.keyForWriting(randomUUID());
    const moved = { ...sealWith(other, { secret: 'y' }), subjectId };
    await expect(cipher.open(moved)).resolves.toEqual({ erased: true }); // key id does not match: unreadable
  });

  it('records each access to personal data and lists a subject\'s accesses, newest first', async () => {
    const log = new AccessLog(sqlExecutor(dataSource));
    const subjectId = randomUUID();
    const access = {
      userId: 'agent-1',
      organisationId: 'rabobank-twente',
      roles: ['partner_agent'],
      subjectId,
      referralId: randomUUID(),
      fields: ['contactName', 'contactEmail'],
      purpose: 'inbox' as const,
      service: 'inbox',
      correlationId: 'corr-1',
    };
    await log.record([access, { ...access, purpose: 'referral_detail', fields: ['needDescription'] }]);
    await log.record([{ ...access, subjectId: randomUUID() }]);
    const entries = await log.forSubject(subjectId);
    expect(entries.map((e) => [e.purpose, e.fields])).toEqual([
      ['referral_detail', ['needDescription']],
      ['inbox', ['contactName', 'contactEmail']],
    ]);
    expect(entries[0]).toMatchObject({ userId: 'agent-1', organisationId: 'rabobank-twente', correlationId: 'corr-1' });
  });
});

describe('master key', () => {
  it('refuses a key that is not 32 bytes, and refuses to invent one in production', () => {
    expect(() => masterKeyFromEnv({ KOPPELSTUK_MASTER_KEY: Buffer.from('short').toString('base64') })).toThrow(/32 random bytes/);
    expect(() => masterKeyFromEnv({ NODE_ENV: 'production' })).toThrow(/production/);
  });
});

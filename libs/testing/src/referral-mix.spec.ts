import { REFERRAL_EVENT_TYPES } from '@koppelstuk/domain';
import { loadEventContracts } from '@koppelstuk/domain/testing';
import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { PostgresEventStore, type RecordedEvent } from '@koppelstuk/event-store';
import { ReferralWriter } from './referral-writer';
import { seededRandom, writeReferralMix } from './referral-mix';

// The mix feeds read-model tests, the audit tests and the benchmarks: these tests pin what they rely on.
describe('writeReferralMix', () => {
  let server: TestServer;
  const databases: TestDatabase[] = [];
  const stores: PostgresEventStore[] = [];

  const freshStore = async (): Promise<PostgresEventStore> => {
    const database = await createTestDatabase(server, 'referral_mix');
    databases.push(database);
    const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 2 });
    stores.push(store);
    return store;
  };
  const everything = async (store: PostgresEventStore): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    return events;
  };
  /** The shape of a mix without its random ids: each stream's event types, in the order the streams began. */
  const shape = (events: readonly RecordedEvent[]): string[] => {
    const byStream = new Map<string, string[]>();
    for (const event of events) {
      const kind = event.stream.replace(/-[0-9a-f-]{36}$/, '');
      byStream.set(event.stream, [...(byStream.get(event.stream) ?? [kind]), event.type]);
    }
    return [...byStream.values()].map((types) => types.join(' '));
  };

  let first: RecordedEvent[];
  let report: Awaited<ReturnType<typeof writeReferralMix>>;

  beforeAll(async () => {
    server = await defaultTestServer();
    const store = await freshStore();
    report = await writeReferralMix(new ReferralWriter(store), { events: 600, seed: 5, start: new Date('2025-01-01T00:00:00Z') });
    first = await everything(store);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(databases.map((database) => database.drop()));
    await server?.stop();
  });

  it('writes at least the asked number of events, and reports exactly what it wrote', () => {
    expect(report.events).toBeGreaterThanOrEqual(600);
    expect(first).toHaveLength(report.events);
    const referralStreams = new Set(first.filter((event) => event.stream.startsWith('referral-')).map((event) => event.stream));
    expect(referralStreams.size).toBe(report.referrals);
    expect(new Set(report.referralIds).size).toBe(report.referrals);
  });

  it('the same seed writes the same histories again; another seed writes other ones', async () => {
    const store = await freshStore();
    await writeReferralMix(new ReferralWriter(store), { events: 600, seed: 5, start: new Date('2025-01-01T00:00:00Z') });
    expect(shape(await everything(store))).toEqual(shape(first));
    const other = await freshStore();
    await writeReferralMix(new ReferralWriter(other), { events: 600, seed: 6, start: new Date('2025-01-01T00:00:00Z') });
    expect(shape(await everything(other))).not.toEqual(shape(first));
  });

  it('is a realistic mix: every step of the lifecycle occurs, with loans carrying amounts', () => {
    const counts = new Map<string, number>();
    for (const event of first) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    for (const type of ['ConsentGiven', ...REFERRAL_EVENT_TYPES]) {
      expect({ type, present: (counts.get(type) ?? 0) > 0 }).toEqual({ type, present: true });
    }
    const financing = first.filter((event) => event.type === 'OutcomeRecorded' && ['loan_or_guarantee', 'financing_granted', 'subsidy_granted'].includes(String(event.data['code'])));
    expect(financing.length).toBeGreaterThan(0);
    expect(financing.every((event) => typeof event.data['amountCents'] === 'number' && (event.data['amountCents'] as number) > 0)).toBe(true);
  });

  it('every event it writes matches its contract in schema/events, personal data sealed', () => {
    const { validators } = loadEventContracts();
    const problems = first.flatMap((event) => {
      const validate = validators.get(event.type);
      return validate && validate(event.data) ? [] : [`${event.type}: ${JSON.stringify(validate?.errors ?? 'no schema')}`];
    });
    expect(problems).toEqual([]);
    // The contact person and the need description are personal data: never in the log as plain text.
    const referralEvents = JSON.stringify(first.filter((event) => event.stream.startsWith('referral-')).map((event) => event.data));
    expect(referralEvents).toContain('A256GCM');
    expect(referralEvents).not.toContain('Sanne Jansen');
    expect(referralEvents).not.toContain('Financiering voor een nieuwe oven');
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays within [0, 1)', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(990);
  });
});

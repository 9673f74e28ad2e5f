import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { foldOrganisation, ROLES, type OrganisationEvent } from '@koppelstuk/domain';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { DEMO_DIRECTORY, G40_CITIES } from './g40-directory';
import { seedDirectory } from './seed-directory';

describe('demo directory seed', () => {
  let server: TestServer;
  let database: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    server = await defaultTestServer();
    database = await createTestDatabase(server, 'seed');
    store = await PostgresEventStore.connect({ connectionString: database.url });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    await server?.stop();
  });

  it('registers the 14 G40 cities with their CBS codes, partners with services, and members for every role', async () => {
    const first = await seedDirectory(store);
    expect(first.organisations).toBe(DEMO_DIRECTORY.length);
    expect(first.eventsAppended).toBeGreaterThan(DEMO_DIRECTORY.length);
    const almelo = foldOrganisation(
      (await collect(store.readStream('organisation-gm0141-almelo'))).map((e) => ({ type: e.type, data: e.data }) as unknown as OrganisationEvent),
    );
    expect(almelo).toMatchObject({ kind: 'city', municipalityCode: 'GM0141', name: 'Gemeente Almelo' });
    expect(almelo?.members.map((m) => m.roles)).toEqual([['city_officer'], ['org_admin']]);
    expect(almelo?.members[0]).toMatchObject({ userId: 'gm0141-almelo.officer', email: 'officer@gm0141-almelo.example', language: 'nl' });
    const cities = DEMO_DIRECTORY.filter((o) => o.kind === 'city');
    expect(cities.map((c) => c.municipalityCode).sort()).toEqual(G40_CITIES.map((c) => c.code).sort());
    // Every city can refer to at least its ROM, its province, a bank and a national agency.
    for (const city of cities) {
      const partnersHere = DEMO_DIRECTORY.filter((o) => o.services.some((s) => s.municipalities.length === 0 || s.municipalities.includes(city.municipalityCode as string)));
      expect(partnersHere.map((p) => p.kind)).toEqual(expect.arrayContaining(['rom', 'province', 'bank', 'national_agency', 'mkb_organisation', 'accountant']));
    }
    const roles = new Set(DEMO_DIRECTORY.flatMap((o) => o.members.flatMap((m) => m.roles)));
    expect([...roles].sort()).toEqual([...ROLES].sort());
  });

  it('gives members seeded before members had addresses their demo address', async () => {
    const scratch = await createTestDatabase(server, 'seed_backfill');
    const old = await PostgresEventStore.connect({ connectionString: scratch.url });
    try {
      const meta = { correlationId: 'c', causationId: null, actor: { userId: 'seed', organisationId: 'g40-programmabureau', roles: ['admin'] }, schemaVersion: 1 };
      await old.append(
        'organisation-gm0141-almelo',
        [
          { id: '00000000-0000-4000-8000-000000000001', type: 'OrganisationRegistered', metadata: meta,
            data: { organisationId: 'gm0141-almelo', name: 'Gemeente Almelo', kind: 'city', municipalityCode: 'GM0141', region: 'Twente', registeredAt: '2026-01-01T00:00:00Z' } },
          { id: '00000000-0000-4000-8000-000000000002', type: 'MemberAdded', metadata: meta,
            data: { organisationId: 'gm0141-almelo', userId: 'gm0141-almelo.officer', displayName: 'BCF', roles: ['city_officer'], addedAt: '2026-01-01T00:00:00Z' } },
        ],
        { expectedRevision: 'no_stream' },
      );
      await seedDirectory(old);
      const events = await collect(old.readStream('organisation-gm0141-almelo'));
      expect(events.filter((e) => e.type === 'MemberContactChanged').map((e) => e.data['userId'])).toEqual(['gm0141-almelo.officer', 'gm0141-almelo.beheer']);
      const almelo = foldOrganisation(events.map((e) => ({ type: e.type, data: e.data }) as unknown as OrganisationEvent));
      expect(almelo?.members.find((m) => m.userId === 'gm0141-almelo.officer')?.email).toBe('officer@gm0141-almelo.example');
    } finally {
      await old.close();
      await scratch.drop();
    }
  });

  it('is idempotent: a second run appends nothing', async () => {
    await seedDirectory(store);
    expect(await seedDirectory(store)).toEqual({ organisations: DEMO_DIRECTORY.length, eventsAppended: 0 });
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

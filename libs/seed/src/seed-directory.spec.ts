import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { foldOrganisation, type OrganisationEvent } from '@koppelstuk/domain';
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
    expect(almelo?.members.map((m) => m.roles)).toEqual([['city_officer']]);
    const cities = DEMO_DIRECTORY.filter((o) => o.kind === 'city');
    expect(cities.map((c) => c.municipalityCode).sort()).toEqual(G40_CITIES.map((c) => c.code).sort());
    // Every city can refer to at least its ROM, its province, a bank and a national agency.
    for (const city of cities) {
      const partnersHere = DEMO_DIRECTORY.filter((o) => o.services.some((s) => s.municipalities.length === 0 || s.municipalities.includes(city.municipalityCode as string)));
      expect(partnersHere.map((p) => p.kind)).toEqual(expect.arrayContaining(['rom', 'province', 'bank', 'national_agency', 'mkb_organisation', 'accountant']));
    }
    const roles = new Set(DEMO_DIRECTORY.flatMap((o) => o.members.flatMap((m) => m.roles)));
    expect([...roles].sort()).toEqual(['admin', 'auditor', 'city_officer', 'partner_agent']);
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

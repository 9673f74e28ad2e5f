import { DataSource } from 'typeorm';
import type { RecordedEvent } from '@koppelstuk/event-store';
import { DEMO_DIRECTORY, G40_CITIES, seedDirectory } from '@koppelstuk/seed';
import { startServiceForTest, type GraphQLResponse, type ServiceUnderTest } from '@koppelstuk/testing';
import { DirectoryModule } from '../app.module';
import { loadDirectoryConfig } from '../config';

const ORGANISATION_FIELDS = 'id name kind municipalityCode region version services(includeRetired: true) { id active } members { userId displayName roles }';
const SERVICE_FIELDS = 'id organisation { id } name description needCategories municipalities slaWorkingDays eligibilityNotes active';

const MUTATIONS = {
  registerOrganisation: ['RegisterOrganisationInput', ORGANISATION_FIELDS],
  offerService: ['OfferServiceInput', SERVICE_FIELDS],
  retireService: ['RetireServiceInput', SERVICE_FIELDS],
  addMember: ['AddMemberInput', ORGANISATION_FIELDS],
  removeMember: ['RemoveMemberInput', ORGANISATION_FIELDS],
  changeMemberContact: ['ChangeMemberContactInput', ORGANISATION_FIELDS],
} as const;
type DirectoryMutation = keyof typeof MUTATIONS;

interface OrganisationData {
  id: string;
  name: string;
  kind: string;
  municipalityCode: string | null;
  region: string | null;
  version: number;
  services: { id: string; active: boolean }[];
  members: { userId: string; displayName: string; roles: string[] }[] | null;
}

/** The directory subgraph: admins manage it, everyone signed in reads it, members lists stay within the organisation. */
describe('directory subgraph', () => {
  let service: ServiceUnderTest;
  let admin: string;
  let cityOfficer: string;
  let partnerAgent: string;
  let otherPartnerAgent: string;
  let auditor: string;

  beforeAll(async () => {
    service = await startServiceForTest((env) => DirectoryModule.forRoot(loadDirectoryConfig(env)), { label: 'directory' });
    admin = await service.token('g40-programmabureau', 'admin');
    cityOfficer = await service.token('gm0141-almelo', 'city_officer');
    partnerAgent = await service.token('rabobank', 'partner_agent');
    otherPartnerAgent = await service.token('ing', 'partner_agent');
    auditor = await service.token('rekenkamer-g40', 'auditor');
    await seedDirectory(service.store);
    // The directory view follows the log live: wait (bounded) until it has the seeded organisations.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const listed = await service.graphql<{ organisations: unknown[] }>(admin, '{ organisations { id } }');
      if (listed.data?.organisations.length === DEMO_DIRECTORY.length) break;
      if (Date.now() > deadline) throw new Error(`The directory view did not show the ${DEMO_DIRECTORY.length} seeded organisations within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(() => service?.close());

  function mutate<T = Record<string, unknown>>(token: string | null, mutation: DirectoryMutation, input: Record<string, unknown>): Promise<GraphQLResponse<Record<string, T>>> {
    const [type, fields] = MUTATIONS[mutation];
    return service.graphql<Record<string, T>>(token, `mutation($input: ${type}!) { ${mutation}(input: $input) { ${fields} } }`, { input });
  }

  async function ok<T>(token: string, mutation: DirectoryMutation, input: Record<string, unknown>): Promise<T> {
    const response = await mutate<T>(token, mutation, input);
    if (response.errors || !response.data) throw new Error(`${mutation} was refused: ${JSON.stringify(response.errors)}`);
    return response.data[mutation] as T;
  }

  const organisation = async (token: string, id: string) =>
    (await service.graphql<{ organisation: OrganisationData | null }>(token, `query($id: ID!) { organisation(id: $id) { ${ORGANISATION_FIELDS} } }`, { id })).data?.organisation ?? null;

  async function countEvents(stream?: string): Promise<number> {
    const count = async () => {
      let n = 0;
      const events: AsyncIterable<RecordedEvent> = stream ? service.store.readStream(stream) : service.store.readAll();
      for await (const _event of events) n++;
      return n;
    };
    if (stream) return count();
    // readAll shows only events below the oldest running transaction: read until it shows all committed ones.
    const [row] = (await service.app.get(DataSource).query('select count(*)::int as committed from event_store.events')) as { committed: number }[];
    const committed = row?.committed ?? 0;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const n = await count();
      if (n >= committed) return n;
      if (Date.now() > deadline) throw new Error(`readAll did not show all ${committed} committed events within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const offer = (organisationId: string, serviceId: string, overrides: Record<string, unknown> = {}) => ({
    organisationId,
    serviceId,
    name: 'Groeifinanciering Twente',
    description: 'Leningen voor groeiende mkb-bedrijven in Twente.',
    needCategories: ['financing', 'innovation'],
    municipalities: ['GM0141', 'GM0150'],
    slaWorkingDays: 7,
    eligibilityNotes: 'Minimaal twee jaar actief.',
    ...overrides,
  });

  it('an admin registers a partner, offers and retires a service, adds and removes a member; every change is read back at once', async () => {
    const registered = await ok<OrganisationData>(admin, 'registerOrganisation', { id: 'twentse-groeibank', name: 'Twentse Groeibank', kind: 'bank', region: 'Twente' });
    expect(registered).toEqual({ id: 'twentse-groeibank', name: 'Twentse Groeibank', kind: 'bank', municipalityCode: null, region: 'Twente', version: 0, services: [], members: [] });

    const offered = await ok(admin, 'offerService', offer('twentse-groeibank', 'twentse-groeibank-groeilening'));
    expect(offered).toEqual({
      id: 'twentse-groeibank-groeilening',
      organisation: { id: 'twentse-groeibank' },
      name: 'Groeifinanciering Twente',
      description: 'Leningen voor groeiende mkb-bedrijven in Twente.',
      needCategories: ['financing', 'innovation'],
      municipalities: ['GM0141', 'GM0150'],
      slaWorkingDays: 7,
      eligibilityNotes: 'Minimaal twee jaar actief.',
      active: true,
    });
    const inAlmelo = await service.graphql<{ services: { id: string }[] }>(cityOfficer, '{ services(needCategory: financing, municipality: "GM0141") { id } }');
    expect(inAlmelo.data?.services.map((s) => s.id)).toContain('twentse-groeibank-groeilening');

    const member = await ok<OrganisationData>(admin, 'addMember', { organisationId: 'twentse-groeibank', userId: 'groeibank.anna', displayName: 'Anna Jansen', roles: ['partner_agent'] });
    expect(member.members).toEqual([{ userId: 'groeibank.anna', displayName: 'Anna Jansen', roles: ['partner_agent'] }]);

    const retired = await ok<{ active: boolean }>(admin, 'retireService', { organisationId: 'twentse-groeibank', serviceId: 'twentse-groeibank-groeilening' });
    expect(retired).toMatchObject({ id: 'twentse-groeibank-groeilening', active: false });
    const afterRetire = await service.graphql<{ services: { id: string }[] }>(cityOfficer, '{ services(needCategory: financing, municipality: "GM0141") { id } }');
    expect(afterRetire.data?.services.map((s) => s.id)).not.toContain('twentse-groeibank-groeilening');
    const activeOnly = await service.graphql<{ organisation: { services: unknown[] } }>(cityOfficer, '{ organisation(id: "twentse-groeibank") { services { id } } }');
    expect(activeOnly.data?.organisation.services).toEqual([]);

    const removed = await ok<OrganisationData>(admin, 'removeMember', { organisationId: 'twentse-groeibank', userId: 'groeibank.anna' });
    expect(removed.members).toEqual([]);
    expect(await organisation(admin, 'twentse-groeibank')).toMatchObject({ version: 4, services: [{ id: 'twentse-groeibank-groeilening', active: false }], members: [] });

    const types: string[] = [];
    for await (const event of service.store.readStream('organisation-twentse-groeibank')) types.push(event.type);
    expect(types).toEqual(['OrganisationRegistered', 'ServiceOffered', 'MemberAdded', 'ServiceRetired', 'MemberRemoved']);
  });

  it('an admin registers a city with its CBS code', async () => {
    const city = await ok<OrganisationData>(admin, 'registerOrganisation', { id: 'gm0344-utrecht', name: 'Gemeente Utrecht', kind: 'city', municipalityCode: 'GM0344' });
    expect(city).toMatchObject({ id: 'gm0344-utrecht', kind: 'city', municipalityCode: 'GM0344' });
    const cities = await service.graphql<{ organisations: { id: string }[] }>(cityOfficer, '{ organisations(kind: city, municipality: "GM0344") { id } }');
    expect(cities.data?.organisations).toEqual([{ id: 'gm0344-utrecht' }]);
  });

  it.each([
    ['registerOrganisation', () => ({ id: 'schaduwbank', name: 'Schaduwbank', kind: 'bank' })],
    ['offerService', () => offer('rabobank', 'rabobank-extra')],
    ['retireService', () => ({ organisationId: 'rabobank', serviceId: 'rabobank-bedrijfsfinanciering' })],
    ['addMember', () => ({ organisationId: 'rabobank', userId: 'rabobank.mallory', displayName: 'Mallory', roles: ['admin'] })],
    ['removeMember', () => ({ organisationId: 'rabobank', userId: 'rabobank.agent' })],
  ] as const)('%s by anyone but an admin: FORBIDDEN, nothing appended', async (mutation, input) => {
    const before = await countEvents();
    for (const token of [cityOfficer, partnerAgent, auditor]) {
      const response = await mutate(token, mutation, input());
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.data).toBeNull();
    }
    const anonymous = await mutate(null, mutation, input());
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await countEvents()).toBe(before);
  });

  it("members are visible to the organisation's own members and to admins only", async () => {
    expect((await organisation(partnerAgent, 'rabobank'))?.members).toEqual([
      { userId: 'rabobank.agent', displayName: 'Accountmanager Rabobank', roles: ['partner_agent'] },
      { userId: 'rabobank.supervisor', displayName: 'Teamleider Rabobank', roles: ['supervisor'] },
      { userId: 'rabobank.beheer', displayName: 'Beheerder Rabobank', roles: ['org_admin'] },
    ]);
    expect((await organisation(admin, 'rabobank'))?.members).toHaveLength(3);
    for (const token of [otherPartnerAgent, cityOfficer, auditor]) {
      const seen = await organisation(token, 'rabobank');
      expect(seen).toMatchObject({ id: 'rabobank', name: 'Rabobank' });
      expect(seen?.members).toBeNull();
    }
    const all = await service.graphql<{ organisations: { id: string; members: unknown[] | null }[] }>(partnerAgent, '{ organisations { id members { userId } } }');
    expect(all.data?.organisations.filter((o) => o.members !== null).map((o) => o.id)).toEqual(['rabobank']);
  });

  it('a member changes their own e-mail address and language; another member of the organisation may not', async () => {
    const anna = await service.token('ing', 'partner_agent', 'ing.agent');
    const changed = await service.graphql<{ changeMemberContact: { members: { userId: string; email: string | null; language: string }[] } }>(
      anna,
      'mutation($input: ChangeMemberContactInput!) { changeMemberContact(input: $input) { members { userId email language } } }',
      { input: { organisationId: 'ing', userId: 'ing.agent', email: 'anna@ing.example', language: 'en' } },
    );
    expect(changed.data?.changeMemberContact.members.find((m) => m.userId === 'ing.agent')).toEqual({ userId: 'ing.agent', email: 'anna@ing.example', language: 'en' });
    const before = await countEvents('organisation-ing');
    const colleague = await service.token('ing', 'partner_agent', 'ing.supervisor');
    const refused = await mutate(colleague, 'changeMemberContact', { organisationId: 'ing', userId: 'ing.agent', email: 'mallory@evil.example', language: 'nl' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const malformed = await mutate(anna, 'changeMemberContact', { organisationId: 'ing', userId: 'ing.agent', email: 'not an address', language: 'nl' });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    expect(await countEvents('organisation-ing')).toBe(before);
  });

  it('organisations(kind, municipality) filter the seeded G40 directory', async () => {
    const ids = async (args: string) =>
      ((await service.graphql<{ organisations: { id: string }[] }>(cityOfficer, `{ organisations${args} { id } }`)).data?.organisations ?? []).map((o) => o.id).sort();

    // The 14 G40 cities of the seed, and Utrecht registered above.
    const cities = await ids('(kind: city)');
    expect(cities).toHaveLength(G40_CITIES.length + 1);
    expect(cities).toEqual([...DEMO_DIRECTORY.filter((o) => o.kind === 'city').map((o) => o.id), 'gm0344-utrecht'].sort());
    expect(cities).toEqual(expect.arrayContaining(['gm0141-almelo', 'gm0150-deventer', 'gm1883-sittard-geleen']));

    expect(await ids('(kind: rom, municipality: "GM0141")')).toEqual(['oost-nl']);
    expect(await ids('(kind: province, municipality: "GM0758")')).toEqual(['provincie-noord-brabant']);
    expect(await ids('(kind: city, municipality: "GM0141")')).toEqual(['gm0141-almelo']);

    const inAlmelo = await ids('(municipality: "GM0141")');
    expect(inAlmelo).toEqual(expect.arrayContaining(['gm0141-almelo', 'oost-nl', 'provincie-overijssel', 'rabobank', 'rvo', 'kvk']));
    for (const elsewhere of ['gm0150-deventer', 'bom', 'provincie-limburg', 'tu-delft-valorisatie', 'g40-programmabureau']) expect(inAlmelo).not.toContain(elsewhere);
    const expectedInAlmelo = DEMO_DIRECTORY.filter((o) =>
      o.kind === 'city' ? o.municipalityCode === 'GM0141' : o.services.some((s) => s.municipalities.length === 0 || s.municipalities.includes('GM0141')),
    ).map((o) => o.id);
    // (The Twentse Groeibank registered above works nowhere: its only service was retired.)
    expect(inAlmelo).toEqual(expectedInAlmelo.sort());
  });

  it('services(needCategory, municipality) filter the seeded G40 directory', async () => {
    const ids = async (args: string) =>
      ((await service.graphql<{ services: { id: string; needCategories: string[]; active: boolean }[] }>(cityOfficer, `{ services${args} { id needCategories active } }`)).data?.services ?? [])
        .map((s) => s.id)
        .sort();

    const innovationInDelft = await ids('(needCategory: innovation, municipality: "GM0503")');
    const expected = DEMO_DIRECTORY.flatMap((o) => o.services)
      .filter((s) => s.needCategories.includes('innovation') && (s.municipalities.length === 0 || s.municipalities.includes('GM0503')))
      .map((s) => s.id)
      .sort();
    expect(innovationInDelft).toEqual(expected);
    expect(innovationInDelft).toEqual(expect.arrayContaining(['tu-delft-kennisvoucher', 'innovationquarter-innovatiefinanciering', 'rvo-innovatiekrediet']));
    expect(innovationInDelft).not.toContain('oost-nl-innovatiefinanciering');

    const restructuring = await ids('(needCategory: restructuring)');
    expect(restructuring).toEqual(['accountants-herstructureringsplan', 'ondernemersklankbord-coaching', 'qredits-microkrediet']);

    // Zuid-Holland's knowledge voucher is not offered in Almelo.
    expect(await ids('(municipality: "GM0141")')).not.toContain('tu-delft-kennisvoucher');
  });

  it('a service id another organisation already uses: BAD_USER_INPUT on serviceId, nothing appended', async () => {
    const before = await countEvents();
    const response = await mutate(admin, 'offerService', offer('ing', 'rabobank-bedrijfsfinanciering'));
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'serviceId' });
    expect(response.data).toBeNull();
    expect(await countEvents()).toBe(before);
    const owner = await service.graphql<{ service: { organisation: { id: string } } }>(cityOfficer, '{ service(id: "rabobank-bedrijfsfinanciering") { organisation { id } } }');
    expect(owner.data?.service.organisation.id).toBe('rabobank');
  });

  it('other bad input: BAD_USER_INPUT, nothing appended', async () => {
    const before = await countEvents();
    const cases: [DirectoryMutation, Record<string, unknown>, string][] = [
      ['registerOrganisation', { id: 'Geen Slug', name: 'X', kind: 'bank' }, 'organisationId'],
      ['registerOrganisation', { id: 'gm9999-nergens', name: 'Nergens', kind: 'city' }, 'municipalityCode'],
      ['offerService', offer('ing', 'ing-nieuw', { slaWorkingDays: 0 }), 'slaWorkingDays'],
      ['offerService', offer('ing', 'ing-nieuw', { municipalities: ['Almelo'] }), 'municipalities'],
      ['addMember', { organisationId: 'gm0141-almelo', userId: 'x', displayName: 'X', roles: ['partner_agent'] }, 'roles'],
    ];
    for (const [mutation, input, field] of cases) {
      const response = await mutate(admin, mutation, input);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await countEvents()).toBe(before);
  });

  it('an idempotent retry with the same clientMutationId returns the same result and appends nothing', async () => {
    const input = { clientMutationId: 'register-zwolle-bank', id: 'zwolse-ondernemersbank', name: 'Zwolse Ondernemersbank', kind: 'bank' };
    const first = await ok<OrganisationData>(admin, 'registerOrganisation', input);
    const before = await countEvents();
    const second = await ok<OrganisationData>(admin, 'registerOrganisation', input);
    expect(second).toEqual(first);
    expect(await countEvents()).toBe(before);

    const memberInput = { clientMutationId: 'add-piet', organisationId: 'zwolse-ondernemersbank', userId: 'zob.piet', displayName: 'Piet', roles: ['partner_agent'] };
    const added = await ok<OrganisationData>(admin, 'addMember', memberInput);
    const afterAdd = await countEvents('organisation-zwolse-ondernemersbank');
    expect(await ok<OrganisationData>(admin, 'addMember', memberInput)).toEqual(added);
    expect(await countEvents('organisation-zwolse-ondernemersbank')).toBe(afterAdd);
    expect(afterAdd).toBe(2);

    // Without the key, registering again is refused.
    const again = await mutate(admin, 'registerOrganisation', { id: 'zwolse-ondernemersbank', name: 'Zwolse Ondernemersbank', kind: 'bank' });
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
  });
});

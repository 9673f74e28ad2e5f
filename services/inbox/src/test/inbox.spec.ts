import { realSealer, ReferralWriter, startServiceForTest, type ServiceUnderTest } from '@koppelstuk/testing';
import { InboxModule } from '../app.module';
import { loadInboxConfig } from '../config';
const INBOX = `query($filter: ReferralFilter, $first: Int, $after: String) {
  inbox(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id status needCategory entrepreneur { kvkNumber businessName } personalData contact { name email } needDescription slaDueAt overdue lastActivityAt journey { referralId status } } }
  }
}`;

interface Edge {
  node: { id: string; status: string; personalData: string; contact: { name: string } | null; entrepreneur: { businessName: string }; journey: { referralId: string }[] };
}
interface InboxData {
  inbox: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Edge[] };
}

async function eventually<T>(what: string, probe: () => Promise<T | null>, attempts = 200): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Gave up waiting for ${what}`);
}

describe('inbox and city tracker', () => {
  let inbox: ServiceUnderTest;
  let sealer: ReturnType<typeof realSealer>;
  let writer: ReferralWriter;
  let city: string;
  let bank: string;
  const ids: string[] = [];
  const subjects: string[] = [];

  beforeAll(async () => {
    inbox = await startServiceForTest((env) => InboxModule.forRoot(loadInboxConfig(env)), { label: 'inbox' });
    // The referrals the city makes, written as the referrals subgraph writes them (sealed personal data included).
    sealer = realSealer(inbox.database.url, inbox.dataDir);
    writer = new ReferralWriter(inbox.store, sealer.seal);
    city = await inbox.token('gm0141-almelo', 'city_officer');
    bank = await inbox.token('rabobank', 'partner_agent');
    for (let n = 1; n <= 5; n++) {
      const made = await writer.make({
        cityId: 'gm0141-almelo',
        partnerId: 'rabobank',
        serviceId: 'rabobank-bedrijfsfinanciering',
        kvkNumber: String(10_000_000 + n),
        businessName: `Bakkerij Nummer ${n}`,
        contactName: `Contact ${n}`,
        at: new Date(Date.now() - (10 - n) * 60_000).toISOString(),
      });
      ids.push(made.referralId);
      subjects.push(made.subjectId);
    }
    await eventually('the inbox to hold all five referrals', async () => {
      const page = await inbox.graphql<InboxData>(bank, INBOX, { first: 10 });
      return page.data?.inbox.totalCount === 5 ? page : null;
    });
  });
  afterAll(async () => {
    await sealer?.close();
    await inbox?.close();
  });

  it('shows a partner the referrals addressed to it, newest activity first, with personal data under consent', async () => {
    const page = await inbox.graphql<InboxData>(bank, INBOX, { first: 10 });
    expect(page.errors).toBeUndefined();
    expect(page.data?.inbox.edges.map((e) => e.node.id)).toEqual([...ids].reverse());
    expect(page.data?.inbox.edges[0]?.node).toMatchObject({ status: 'sent', personalData: 'visible', contact: { name: 'Contact 5' } });
  });

  it('pages with cursors: no gap, no repeat', async () => {
    const first = await inbox.graphql<InboxData>(bank, INBOX, { first: 2 });
    const second = await inbox.graphql<InboxData>(bank, INBOX, { first: 2, after: first.data?.inbox.pageInfo.endCursor });
    const third = await inbox.graphql<InboxData>(bank, INBOX, { first: 2, after: second.data?.inbox.pageInfo.endCursor });
    const seen = [first, second, third].flatMap((p) => p.data?.inbox.edges.map((e) => e.node.id) ?? []);
    expect(seen).toEqual([...ids].reverse());
    expect(third.data?.inbox.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by status and search, and follows changes within a moment', async () => {
    await writer.accept(ids[0] as string);
    const onlyAccepted = await eventually('the accept to reach the inbox', async () => {
      const page = await inbox.graphql<InboxData>(bank, INBOX, { filter: { status: ['accepted'] } });
      return page.data?.inbox.totalCount === 1 ? page : null;
    });
    expect(onlyAccepted.data?.inbox.edges[0]?.node.id).toBe(ids[0]);
    const search = await inbox.graphql<InboxData>(bank, INBOX, { filter: { search: 'nummer 3' } });
    expect(search.data?.inbox.edges.map((e) => e.node.entrepreneur.businessName)).toEqual(['Bakkerij Nummer 3']);
  });

  it('shows another partner nothing of it: not in its inbox, not through entity lookups', async () => {
    const other = await inbox.token('ing', 'partner_agent');
    const page = await inbox.graphql<InboxData>(other, INBOX, {});
    expect(page.data?.inbox.totalCount).toBe(0);
    const lookup = await inbox.graphql<{ _entities: unknown[] }>(
      other,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id status slaDueAt } } }`,
      { r: ids.map((id) => ({ __typename: 'Referral', id })) },
    );
    expect(lookup.errors).toBeUndefined();
    expect(lookup.data?._entities).toEqual(ids.map(() => null));
    // The same lookup by the partner it is addressed to does resolve: the nulls above are tenancy.
    const own = await inbox.graphql<{ _entities: { id: string }[] }>(
      bank,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id status slaDueAt } } }`,
      { r: ids.map((id) => ({ __typename: 'Referral', id })) },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?._entities.map((e) => e.id)).toEqual(ids);
  });

  it("gives the city its tracker and the auditor everything with personal data masked", async () => {
    const tracker = await inbox.graphql<{ cityReferrals: { totalCount: number } }>(city, `{ cityReferrals { totalCount } }`);
    expect(tracker.data?.cityReferrals.totalCount).toBe(5);
    const otherCity = await inbox.token('gm0193-zwolle', 'city_officer');
    expect((await inbox.graphql<{ cityReferrals: { totalCount: number } }>(otherCity, `{ cityReferrals { totalCount } }`)).data?.cityReferrals.totalCount).toBe(0);
    const auditor = await inbox.token('rekenkamer-g40', 'auditor');
    const audited = await inbox.graphql<InboxData>(auditor, INBOX, {});
    expect(audited.data?.inbox.totalCount).toBe(5);
    expect(audited.data?.inbox.edges.every((e) => e.node.personalData === 'masked' && e.node.contact === null)).toBe(true);
    const forbidden = await inbox.graphql(city, INBOX, {});
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('records every read of personal data, and only those', async () => {
    const count = () => countAccess(inbox);
    const before = await count();
    await inbox.graphql<InboxData>(bank, `{ inbox(first: 3) { edges { node { id status } } } }`);
    expect(await count()).toBe(before);
    await inbox.graphql<InboxData>(bank, `{ inbox(first: 3) { edges { node { id contact { name } } } } }`);
    expect(await count()).toBe(before + 3);
  });

  it('shows erased personal data as erased', async () => {
    await writer.erase(subjects[4] as string, sealer.keys, 'gm0141-almelo');
    const node = await eventually('the erasure to reach the inbox', async () => {
      const page = await inbox.graphql<InboxData>(bank, INBOX, {});
      const found = page.data?.inbox.edges.find((e) => e.node.id === ids[4])?.node;
      return found?.personalData === 'erased' ? found : null;
    });
    expect(node.contact).toBeNull();
  });
});

async function countAccess(service: ServiceUnderTest): Promise<number> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: service.database.url });
  await client.connect();
  try {
    const { rows } = await client.query(`select count(*)::int as n from personal_data.access_log where service = 'inbox'`);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

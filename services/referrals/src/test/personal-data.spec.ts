import type { ServiceUnderTest } from '@koppelstuk/testing';
import {
  database,
  errorOf,
  FORWARD_SERVICE_ID,
  giveConsent,
  MAKE_REFERRAL,
  makeInput,
  makeReferral,
  ORG,
  readReferral,
  startReferrals,
  step,
  tokensFor,
  type Tokens,
} from './helpers';

/** What the contact person told the city, and what partner and city wrote about them: never in the log in plain. */
const PERSONAL = {
  name: 'Ilse Verbruggen-Zwaan',
  email: 'ilse.verbruggen@bakkerij-zwaan.nl',
  phone: '+31 6 98765432',
  need: 'Herfinanciering na brand in de bakkerij aan de Grotestraat',
  question: 'Welke schade vergoedt de brandverzekering precies?',
  answer: 'Ongeveer tachtigduizend euro volgens de schade-expert',
  forwardReason: 'Beter bij de ROM vanwege de verduurzaming van de oven',
};

interface RawEvent {
  position: string;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: string;
  metadata: string;
}

interface AccessRow {
  user_id: string;
  organisation_id: string;
  roles: string[];
  subject_id: string;
  referral_id: string;
  fields: string[];
  purpose: string;
  service: string;
}

const DETAIL = 'id personalData contact { name email phone } needDescription informationExchanges { question answer }';

/** DESIGN.md §5: personal data is sealed with a per-subject key; erasure deletes the key, never rewrites the log; every read is on record. */
describe('referrals subgraph: personal data, erasure and the access log', () => {
  let service: ServiceUnderTest;
  let t: Tokens;
  beforeAll(async () => {
    service = await startReferrals('personal-data');
    t = await tokensFor(service);
  });
  afterAll(() => service?.close());

  const rawEvents = (): Promise<RawEvent[]> =>
    database(service).query(
      `select e.position::text as position, stream_name, stream_revision::text, event_id::text, event_type, data::text as data, metadata::text as metadata
         from event_store.events e order by e.position`,
    );

  const accessLog = (subjectId: string): Promise<AccessRow[]> =>
    database(service).query(
      `select user_id, organisation_id, roles, subject_id::text, referral_id::text, fields, purpose, service
         from personal_data.access_log where subject_id = $1 order by id`,
      [subjectId],
    );

  /** Fails if any stored event (data or metadata) holds one of the personal texts in plain. */
  async function expectNoPlaintextInTheLog() {
    const stored = (await rawEvents()).map((e) => `${e.data}\n${e.metadata}`.toLowerCase()).join('\n');
    expect(stored.length).toBeGreaterThan(0);
    for (const [what, text] of Object.entries(PERSONAL)) {
      expect({ what, found: stored.includes(text.toLowerCase()) }).toEqual({ what, found: false });
    }
    // Not even a part of it: the contact's e-mail domain and the street.
    expect(stored.includes('bakkerij-zwaan')).toBe(false);
    expect(stored.includes('grotestraat')).toBe(false);
  }

  it('erasure: readable before; erased for everyone after; the log unchanged and never in plain; no key left', async () => {
    const made = await makeReferral(service, t.city, {
      needDescription: PERSONAL.need,
      contact: { name: PERSONAL.name, email: PERSONAL.email, phone: PERSONAL.phone },
      consent: { givenBy: PERSONAL.name, givenAt: new Date(Date.now() - 60_000).toISOString(), purpose: 'Doorverwijzing financiering', expiresAt: new Date(Date.now() + 86_400_000 * 90).toISOString(), anonymousStatistics: true },
    });
    const firstId = made.referral.id;
    const subjectId = made.referral.consent.subjectId;
    await step(service, t.partner, 'acceptReferral', { referralId: firstId });
    await step(service, t.partner, 'requestInformation', { referralId: firstId, question: PERSONAL.question });
    await step(service, t.city, 'provideInformation', { referralId: firstId, answer: PERSONAL.answer });
    await giveConsent(service, t.city, subjectId, ORG.forwardPartner, { givenBy: PERSONAL.name });
    const forwarded = await step(service, t.partner, 'forwardReferral', {
      referralId: firstId,
      toPartnerId: ORG.forwardPartner,
      toServiceId: FORWARD_SERVICE_ID,
      reason: PERSONAL.forwardReason,
    });
    const secondId = forwarded.forwardedToReferralId as string;
    await expectNoPlaintextInTheLog();

    // Before: the city and each addressed partner read the contact and the need.
    const visible = {
      personalData: 'visible',
      contact: { name: PERSONAL.name, email: PERSONAL.email, phone: PERSONAL.phone },
      needDescription: PERSONAL.need,
    };
    for (const [token, id] of [
      [t.city, firstId],
      [t.partner, firstId],
      [t.city, secondId],
      [t.forwardPartner, secondId],
    ] as const) {
      const read = await readReferral(service, token, id, DETAIL);
      expect(read.errors).toBeUndefined();
      expect(read.data?.referral).toMatchObject({ id, ...visible });
    }
    const firstAsCity = await readReferral<{ referral: { informationExchanges: unknown[] } }>(service, t.city, firstId, DETAIL);
    expect(firstAsCity.data?.referral.informationExchanges).toEqual([{ question: PERSONAL.question, answer: PERSONAL.answer }]);

    const [keyBefore] = await database(service).query(`select wrapped_key is not null as has_key from personal_data.subject_keys where subject_id = $1`, [subjectId]);
    expect(keyBefore).toEqual({ has_key: true });
    const before = await rawEvents();
    // Each of those reads is on record, and so is the forward, which decrypted the data to carry it over.
    const reads = await accessLog(subjectId);
    expect(reads.filter((r) => r.purpose === 'forwarding').map((r) => [r.organisation_id, r.referral_id])).toEqual([[ORG.partner, firstId]]);
    expect(new Set(reads.filter((r) => r.purpose === 'referral_detail').map((r) => `${r.organisation_id} ${r.referral_id}`))).toEqual(
      new Set([`${ORG.city} ${firstId}`, `${ORG.partner} ${firstId}`, `${ORG.city} ${secondId}`, `${ORG.forwardPartner} ${secondId}`]),
    );
    const readsBefore = reads.length;

    const erased = await service.graphql<{ eraseSubject: { subject: { erased: boolean } } }>(
      t.city,
      `mutation($input: EraseSubjectInput!) { eraseSubject(input: $input) { subject { id erased } } }`,
      { input: { subjectId, reason: 'erasure_request' } },
    );
    expect(erased.errors).toBeUndefined();
    expect(erased.data?.eraseSubject.subject.erased).toBe(true);

    // After: erased for everyone who could see it, and for auditors too.
    const gone = { personalData: 'erased', contact: null, needDescription: null };
    for (const [token, id] of [
      [t.city, firstId],
      [t.partner, firstId],
      [t.city, secondId],
      [t.forwardPartner, secondId],
      [t.auditor, firstId],
      [t.admin, secondId],
    ] as const) {
      const read = await readReferral<{ referral: { informationExchanges: { question: unknown; answer: unknown }[] } }>(service, token, id, DETAIL);
      expect(read.errors).toBeUndefined();
      expect(read.data?.referral).toMatchObject({ id, ...gone });
      for (const exchange of read.data?.referral.informationExchanges ?? []) expect(exchange).toEqual({ question: null, answer: null });
    }
    // Nothing was decrypted after the erasure, so nothing more is on record.
    expect(await accessLog(subjectId)).toHaveLength(readsBefore);

    // The log was not rewritten: every stored event is byte for byte what it was; only SubjectErased was added.
    const after = await rawEvents();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((e) => [e.stream_name, e.event_type])).toEqual([[`subject-${subjectId}`, 'SubjectErased']]);
    await expectNoPlaintextInTheLog();

    // No key is left for the subject: only the tombstone that stops a new one being made.
    const keys: { has_key: boolean; erased: boolean }[] = await database(service).query(
      `select wrapped_key is not null as has_key, erased_at is not null as erased from personal_data.subject_keys where subject_id = $1`,
      [subjectId],
    );
    expect(keys).toEqual([{ has_key: false, erased: true }]);
  });

  it('after erasure, steps go on but their free text about the person is not kept (no key is ever made again)', async () => {
    const { referral } = await makeReferral(service, t.city);
    const erased = await service.graphql(t.city, `mutation($input: EraseSubjectInput!) { eraseSubject(input: $input) { subject { erased } } }`, {
      input: { subjectId: referral.consent.subjectId, reason: 'consent_withdrawn' },
    });
    expect(erased.errors).toBeUndefined();
    expect(await step(service, t.partner, 'requestInformation', { referralId: referral.id, question: 'Hoe bereiken we de ondernemer?' })).toMatchObject({
      referral: { status: 'on_hold', personalData: 'erased' },
    });
    expect(await step(service, t.city, 'withdrawReferral', { referralId: referral.id, reason: 'Ondernemer heeft bezwaar gemaakt' })).toMatchObject({
      referral: { status: 'withdrawn', personalData: 'erased' },
    });
    const stored: { type: string; personal: unknown }[] = [];
    for await (const event of service.store.readStream(`referral-${referral.id}`)) stored.push({ type: event.type, personal: event.data['personal'] ?? null });
    expect(stored.slice(1)).toEqual([
      { type: 'InformationRequested', personal: null },
      { type: 'ReferralWithdrawn', personal: null },
    ]);
    const keys: { has_key: boolean }[] = await database(service).query(`select wrapped_key is not null as has_key from personal_data.subject_keys where subject_id = $1`, [referral.consent.subjectId]);
    expect(keys).toEqual([{ has_key: false }]);
    // A new referral for the erased person is still refused: it would need their data.
    const again = await service.graphql(t.city, MAKE_REFERRAL, { input: makeInput({ subjectId: referral.consent.subjectId, clientMutationId: 'after-erasure' }) });
    expect(errorOf(again)).toMatchObject({ code: expect.stringMatching(/BAD_USER_INPUT|INVALID_TRANSITION|NOT_FOUND/) });
  });

  it('every read of decrypted personal data is on record (who, whose, which fields, why); reads without personal fields are not', async () => {
    const { referral } = await makeReferral(service, t.city);
    const subjectId = referral.consent.subjectId;
    const logged = async () => (await accessLog(subjectId)).length;
    // The makeReferral answer above asked for no personal field.
    expect(await logged()).toBe(0);

    await readReferral(service, t.city, referral.id, 'id status version personalData entrepreneur { kvkNumber businessName } consent { purpose }');
    expect(await logged()).toBe(0);

    const city = await readReferral<{ referral: { contact: { name: string } } }>(service, t.city, referral.id, 'contact { name email }');
    expect(city.data?.referral.contact.name).toBe('Jan de Vries');
    const partner = await readReferral<{ referral: { needDescription: string } }>(service, t.partner, referral.id, 'needDescription');
    expect(partner.data?.referral.needDescription).toBe('Investering in een nieuwe CNC-machine');

    expect(await accessLog(subjectId)).toEqual([
      {
        user_id: `${ORG.city}.city_officer`,
        organisation_id: ORG.city,
        roles: ['city_officer'],
        subject_id: subjectId,
        referral_id: referral.id,
        fields: ['contactName', 'contactEmail', 'contactPhone'],
        purpose: 'referral_detail',
        service: 'referrals',
      },
      {
        user_id: `${ORG.partner}.partner_agent`,
        organisation_id: ORG.partner,
        roles: ['partner_agent'],
        subject_id: subjectId,
        referral_id: referral.id,
        fields: ['needDescription'],
        purpose: 'referral_detail',
        service: 'referrals',
      },
    ]);

    // Masked or invisible: nothing decrypted, nothing on record.
    for (const token of [t.auditor, t.admin, t.otherPartner, t.otherCity]) {
      const read = await readReferral<{ referral: { contact: unknown } | null }>(service, token, referral.id, 'contact { name } needDescription');
      expect(read.data?.referral?.contact ?? null).toBeNull();
    }
    expect(await logged()).toBe(2);
  });
});

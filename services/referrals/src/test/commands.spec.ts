import type { ServiceUnderTest } from '@koppelstuk/testing';
import { DeadlineWatcher } from '../process/deadline-watcher';
import {
  database,
  errorOf,
  eventCounts,
  giveConsent,
  GIVE_CONSENT,
  makeReferral,
  minutesAgo,
  mutate,
  nextKvk,
  ORG,
  readReferral,
  readStream,
  referralStream,
  startReferrals,
  step,
  subjectStream,
  tokensFor,
  waitFor,
  waitUntilProjected,
  type SubjectData,
  type Tokens,
} from './helpers';

const entrepreneur = (kvkNumber: string) => ({ kvkNumber, businessName: 'Bakkerij Zwaan', sbiCode: '1071', sizeClass: 'micro' });

/** Every command's happy path through GraphQL, the events it leaves in the streams, and what the process projection adds. */
describe('referrals subgraph: every command through GraphQL', () => {
  let service: ServiceUnderTest;
  let t: Tokens;
  beforeAll(async () => {
    // The deadline watcher's own timer stays out of the way: the tests drive it with tick(now).
    service = await startReferrals('commands', { DEADLINE_CHECK_INTERVAL_MS: '3600000' });
    t = await tokensFor(service);
  });
  afterAll(() => service?.close());

  const typesIn = async (stream: string) => (await readStream(service, stream)).map((event) => event.type);

  it('makeReferral: a sent referral, readable with its personal data by the city and the partner, consent recorded in the subject stream', async () => {
    const made = await makeReferral(service, t.city, {
      needDescription: 'Werkkapitaal voor een tweede vestiging',
      contact: { name: 'Fatma Yilmaz', email: 'fatma@yilmaz-bakkerij.nl', phone: '+31 6 12345678' },
    });
    expect(made.referral).toMatchObject({ status: 'sent', version: 0, personalData: 'visible', journeyRootId: made.referral.id });
    expect(made.warnings).toEqual([]);

    const fields = 'id status partnerKind needCategory entrepreneur { businessName sizeClass } contact { name email phone } needDescription city { id } partner { id } service { id }';
    for (const token of [t.city, t.partner]) {
      const read = await readReferral(service, token, made.referral.id, fields);
      expect(read.errors).toBeUndefined();
      expect(read.data?.referral).toEqual({
        id: made.referral.id,
        status: 'sent',
        partnerKind: 'bank',
        needCategory: 'financing',
        entrepreneur: { businessName: 'De Vries Metaal BV', sizeClass: 'small' },
        contact: { name: 'Fatma Yilmaz', email: 'fatma@yilmaz-bakkerij.nl', phone: '+31 6 12345678' },
        needDescription: 'Werkkapitaal voor een tweede vestiging',
        city: { id: ORG.city },
        partner: { id: ORG.partner },
        service: { id: 'rabobank-bedrijfsfinanciering' },
      });
    }
    expect(await typesIn(referralStream(made.referral.id))).toEqual(['ReferralMade']);
    expect(await typesIn(subjectStream(made.referral.consent.subjectId))).toEqual(['ConsentGiven']);
  });

  it('accept → request information → provide information → start work → outcomes → close, then a late outcome', async () => {
    const { referral } = await makeReferral(service, t.city);
    const referralId = referral.id;
    expect(await step(service, t.partner, 'acceptReferral', { referralId })).toMatchObject({ referral: { status: 'accepted', version: 1 } });
    expect(await step(service, t.partner, 'requestInformation', { referralId, question: 'Hoeveel personeel is er?' })).toMatchObject({
      referral: { status: 'on_hold', version: 2 },
    });
    expect(await step(service, t.city, 'provideInformation', { referralId, answer: 'Achttien medewerkers' })).toMatchObject({
      referral: { status: 'accepted', version: 3 },
    });
    expect(await step(service, t.partner, 'startWork', { referralId })).toMatchObject({ referral: { status: 'in_progress', version: 4 } });

    const occurredAt = new Date().toISOString();
    // Without occurredAt the outcome happened when it is recorded.
    await step(service, t.partner, 'recordOutcome', { referralId, code: 'advice_given', note: 'Financieringsplan doorgenomen' });
    await step(service, t.partner, 'recordOutcome', { referralId, code: 'loan_or_guarantee', amountCents: 12_500_000, occurredAt, jobsRetained: 18, jobsCreated: 2 });
    expect(await step(service, t.partner, 'closeReferral', { referralId })).toMatchObject({ referral: { status: 'completed', version: 7 } });

    // A loan approved after the referral was closed: recorded late, with when it happened (here: the moment it was sent).
    const sent = await readReferral<{ referral: { sentAt: string } }>(service, t.partner, referralId, 'sentAt');
    const lateOccurredAt = sent.data?.referral.sentAt as string;
    const late = await step(service, t.partner, 'recordOutcome', { referralId, code: 'financing_granted', amountCents: 5_000_000, occurredAt: lateOccurredAt });
    expect(late.referral).toMatchObject({ status: 'completed', version: 8 });

    const read = await readReferral<{ referral: { outcomes: Record<string, unknown>[]; informationExchanges: Record<string, unknown>[] } }>(
      service,
      t.city,
      referralId,
      'outcomes { id code amountCents occurredAt recordedAt jobsRetained jobsCreated note } informationExchanges { question answer providedAt }',
    );
    expect(read.errors).toBeUndefined();
    const outcomes = read.data?.referral.outcomes ?? [];
    expect(outcomes.map((o) => [o['code'], o['amountCents'], o['jobsRetained'], o['jobsCreated'], o['note']])).toEqual([
      ['advice_given', null, null, null, 'Financieringsplan doorgenomen'],
      ['loan_or_guarantee', 12_500_000, 18, 2, null],
      ['financing_granted', 5_000_000, null, null, null],
    ]);
    expect(new Set(outcomes.map((o) => o['id'])).size).toBe(3);
    const defaulted = outcomes[0] as { occurredAt: string; recordedAt: string };
    expect(Date.parse(defaulted.occurredAt)).toBeGreaterThanOrEqual(Date.parse(occurredAt));
    expect(Date.parse(defaulted.occurredAt)).toBeLessThanOrEqual(Date.parse(defaulted.recordedAt));
    const lateOutcome = outcomes[2] as { occurredAt: string; recordedAt: string };
    expect(lateOutcome.occurredAt).toBe(lateOccurredAt);
    expect(Date.parse(lateOutcome.recordedAt)).toBeGreaterThan(Date.parse(lateOutcome.occurredAt));
    expect(read.data?.referral.informationExchanges).toEqual([
      { question: 'Hoeveel personeel is er?', answer: 'Achttien medewerkers', providedAt: expect.any(String) },
    ]);

    expect(await typesIn(referralStream(referralId))).toEqual([
      'ReferralMade',
      'ReferralAccepted',
      'InformationRequested',
      'InformationProvided',
      'WorkStarted',
      'OutcomeRecorded',
      'OutcomeRecorded',
      'ReferralClosed',
      'OutcomeRecorded',
    ]);
  });

  it('requestInformation on a sent referral returns it to sent when the city answers', async () => {
    const { referral } = await makeReferral(service, t.city);
    await step(service, t.partner, 'requestInformation', { referralId: referral.id, question: 'Zijn er jaarcijfers?' });
    expect(await step(service, t.city, 'provideInformation', { referralId: referral.id, answer: 'Ja, over 2025' })).toMatchObject({
      referral: { status: 'sent', version: 2 },
    });
  });

  it('declineReferral with a coded reason', async () => {
    const { referral } = await makeReferral(service, t.city);
    const declined = await step(service, t.partner, 'declineReferral', { referralId: referral.id, reason: 'not_eligible' });
    expect(declined.referral).toMatchObject({ status: 'declined', version: 1 });
    const read = await readReferral<{ referral: { declineReason: string } }>(service, t.city, referral.id, 'declineReason');
    expect(read.data?.referral.declineReason).toBe('not_eligible');
    expect(await typesIn(referralStream(referral.id))).toEqual(['ReferralMade', 'ReferralDeclined']);
  });

  it('declineReferral with reason `other` needs an explanation; with one it is declined', async () => {
    const { referral } = await makeReferral(service, t.city);
    const bare = await mutate(service, t.partner, 'declineReferral', { referralId: referral.id, reason: 'other' });
    expect(errorOf(bare)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('explanation') });
    expect(await typesIn(referralStream(referral.id))).toEqual(['ReferralMade']);

    const explained = await step(service, t.partner, 'declineReferral', { referralId: referral.id, reason: 'other', explanation: 'Wij financieren geen horeca' });
    expect(explained.referral).toMatchObject({ status: 'declined', version: 1 });
    const read = await readReferral<{ referral: { declineReason: string } }>(service, t.partner, referral.id, 'declineReason');
    expect(read.data?.referral.declineReason).toBe('other');
  });

  it('withdrawReferral by the city, with a reason', async () => {
    const { referral } = await makeReferral(service, t.city);
    await step(service, t.partner, 'acceptReferral', { referralId: referral.id });
    const withdrawn = await step(service, t.city, 'withdrawReferral', { referralId: referral.id, reason: 'De ondernemer stopt met het bedrijf' });
    expect(withdrawn.referral).toMatchObject({ status: 'withdrawn', version: 2 });
    expect(await typesIn(referralStream(referral.id))).toEqual(['ReferralMade', 'ReferralAccepted', 'ReferralWithdrawn']);
  });

  it('giveConsent adds a consent to the subject; withdrawConsent ends it, and the referral it covered loses its personal data', async () => {
    const { referral } = await makeReferral(service, t.city);
    const subjectId = referral.consent.subjectId;

    const given = await service.graphql<{ giveConsent: SubjectData }>(t.city, GIVE_CONSENT, {
      input: {
        subjectId,
        cityId: ORG.city,
        partnerId: ORG.forwardPartner,
        givenBy: 'Jan de Vries',
        givenAt: minutesAgo(1),
        purpose: 'Doorverwijzing innovatiefinanciering',
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        anonymousStatistics: false,
      },
    });
    expect(given.errors).toBeUndefined();
    expect(given.data?.giveConsent).toMatchObject({
      id: subjectId,
      erased: false,
      consents: [
        { id: referral.consent.consentId, partner: { id: ORG.partner }, city: { id: ORG.city }, valid: true, withdrawnAt: null },
        { partner: { id: ORG.forwardPartner }, purpose: 'Doorverwijzing innovatiefinanciering', valid: true, withdrawnAt: null },
      ],
    });

    const withdrawn = await service.graphql<{ withdrawConsent: SubjectData }>(
      t.city,
      `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id consents { id valid withdrawnAt } } }`,
      { input: { subjectId, consentId: referral.consent.consentId } },
    );
    expect(withdrawn.errors).toBeUndefined();
    const ended = withdrawn.data?.withdrawConsent.consents.find((c) => c.id === referral.consent.consentId);
    expect(ended).toMatchObject({ valid: false, withdrawnAt: expect.any(String) });
    expect(await typesIn(subjectStream(subjectId))).toEqual(['ConsentGiven', 'ConsentGiven', 'ConsentWithdrawn']);

    // Without a valid consent neither the city nor the partner sees the contact any more.
    for (const token of [t.city, t.partner]) {
      const read = await readReferral<{ referral: { personalData: string; contact: unknown } }>(service, token, referral.id, 'personalData contact { name }');
      expect(read.data?.referral).toEqual({ personalData: 'no_consent', contact: null });
    }

    const subject = await service.graphql<{ subject: SubjectData | null }>(t.city, `query($id: ID!) { subject(id: $id) { id consents { id valid } } }`, { id: subjectId });
    expect(subject.data?.subject?.consents.map((c) => c.valid)).toEqual([false, true]);
  });

  it('eraseSubject: the subject is erased and the referral shows its personal data as erased', async () => {
    const { referral } = await makeReferral(service, t.city);
    await giveConsent(service, t.city, referral.consent.subjectId, ORG.forwardPartner);
    const erased = await service.graphql<{ eraseSubject: { clientMutationId: string | null; subject: SubjectData } }>(
      t.city,
      `mutation($input: EraseSubjectInput!) { eraseSubject(input: $input) { clientMutationId subject { id erased consents { valid } } } }`,
      { input: { clientMutationId: 'erase-1', subjectId: referral.consent.subjectId, reason: 'erasure_request' } },
    );
    expect(erased.errors).toBeUndefined();
    expect(erased.data?.eraseSubject).toEqual({
      clientMutationId: 'erase-1',
      subject: { id: referral.consent.subjectId, erased: true, consents: [{ valid: false }, { valid: false }] },
    });
    const read = await readReferral<{ referral: { personalData: string; contact: unknown } }>(service, t.city, referral.id, 'personalData contact { name }');
    expect(read.data?.referral).toEqual({ personalData: 'erased', contact: null });
    expect(await typesIn(subjectStream(referral.consent.subjectId))).toEqual(['ConsentGiven', 'ConsentGiven', 'SubjectErased']);
  });

  /**
   * What the write side learns from its process projection: duplicate warnings and the SLA clock. These
   * run last: a deadline pass marks every referral of this database that is past its SLA, so they assert
   * on their own referrals' streams, and on the global log only between passes.
   */
  describe('process projection: duplicate warnings and the deadline watcher', () => {
    it('a second referral for a KvK number with an open referral in the same city is made, with a DUPLICATE_OPEN_REFERRALS warning', async () => {
      const kvk = nextKvk();
      const first = await makeReferral(service, t.city, { entrepreneur: entrepreneur(kvk) });
      expect(first.warnings).toEqual([]);
      await waitUntilProjected(service, first.referral.id);

      const second = await makeReferral(service, t.city, { entrepreneur: entrepreneur(kvk), serviceId: 'rabobank-duurzaam-ondernemen', needCategory: 'sustainability' });
      expect(second.referral.status).toBe('sent');
      expect(second.warnings).toEqual([{ code: 'DUPLICATE_OPEN_REFERRALS', message: expect.stringContaining(kvk), referralIds: [first.referral.id] }]);

      // Another city's referral for the same company is no duplicate of Almelo's.
      const deventer = await makeReferral(service, t.otherCity, { cityId: ORG.otherCity, entrepreneur: entrepreneur(kvk) });
      expect(deventer.warnings).toEqual([]);
    });

    it('a closed referral no longer counts as open', async () => {
      const kvk = nextKvk();
      const first = await makeReferral(service, t.city, { entrepreneur: entrepreneur(kvk) });
      await waitUntilProjected(service, first.referral.id);
      await step(service, t.partner, 'declineReferral', { referralId: first.referral.id, reason: 'no_capacity' });
      await waitFor('the declined referral has left the open referrals', async () => {
        const rows: unknown[] = await database(service).query('select 1 from referrals.open_referrals where referral_id = $1', [first.referral.id]);
        return rows.length === 0;
      });
      const second = await makeReferral(service, t.city, { entrepreneur: entrepreneur(kvk) });
      expect(second.warnings).toEqual([]);
    });

    it('a referral unanswered past its SLA gets one ReferralOverdue; a second pass appends nothing', async () => {
      const { referral } = await makeReferral(service, t.city);
      const projected = await waitUntilProjected(service, referral.id);
      const made = (await readStream(service, referralStream(referral.id)))[0];
      const slaDueAt = new Date(made?.data['slaDueAt'] as string);
      expect(projected.sla_due_at.toISOString()).toBe(slaDueAt.toISOString());
      const watcher = service.app.get(DeadlineWatcher);

      // Before the deadline: nothing to do.
      const early = await eventCounts(service, [referralStream(referral.id)]);
      await watcher.tick(new Date(slaDueAt.getTime() - 60_000));
      expect(await eventCounts(service, [referralStream(referral.id)])).toEqual(early);

      await watcher.tick(new Date(slaDueAt.getTime() + 60_000));
      const events = await readStream(service, referralStream(referral.id));
      expect(events.map((e) => e.type)).toEqual(['ReferralMade', 'ReferralOverdue']);
      expect(events[1]?.data).toMatchObject({ referralId: referral.id, slaDueAt: slaDueAt.toISOString() });
      expect(events[1]?.metadata.actor).toMatchObject({ userId: 'system' });

      // Again, before and after the projection has seen the overdue flag: nothing more is appended.
      const once = await eventCounts(service);
      await watcher.tick(new Date(slaDueAt.getTime() + 120_000));
      expect(await eventCounts(service)).toEqual(once);
      await waitFor('the overdue flag is projected', async () => (await waitUntilProjected(service, referral.id)).overdue);
      await watcher.tick(new Date(slaDueAt.getTime() + 180_000));
      expect(await eventCounts(service)).toEqual(once);

      // Overdue is a flag, not a status: the partner can still accept.
      expect(await step(service, t.partner, 'acceptReferral', { referralId: referral.id })).toMatchObject({ referral: { status: 'accepted', version: 2 } });
    });

    it('a referral answered in time is never marked overdue', async () => {
      const { referral } = await makeReferral(service, t.city);
      await waitUntilProjected(service, referral.id);
      await step(service, t.partner, 'acceptReferral', { referralId: referral.id });
      await waitFor('the acceptance is projected', async () => (await waitUntilProjected(service, referral.id)).status === 'accepted');
      const made = (await readStream(service, referralStream(referral.id)))[0];
      await service.app.get(DeadlineWatcher).tick(new Date(Date.parse(made?.data['slaDueAt'] as string) + 86_400_000));
      expect((await readStream(service, referralStream(referral.id))).map((e) => e.type)).toEqual(['ReferralMade', 'ReferralAccepted']);
    });
  });
});

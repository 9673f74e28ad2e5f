import type { ServiceUnderTest } from '@koppelstuk/testing';
import {
  errorOf,
  eventCounts,
  FORWARD_SERVICE_ID,
  giveConsent,
  makeReferral,
  mutate,
  ORG,
  readReferral,
  readStream,
  referralStream,
  startReferrals,
  step,
  subjectStream,
  tokensFor,
  type Tokens,
} from './helpers';

const LINKS = 'id status journeyRootId personalData forwardedFrom { id } forwardedTo { id } contact { name email } needDescription partner { id } service { id }';

interface Linked {
  referral: {
    id: string;
    status: string;
    journeyRootId: string;
    personalData: string;
    forwardedFrom: { id: string } | null;
    forwardedTo: { id: string } | null;
    contact: { name: string; email: string | null } | null;
    needDescription: string | null;
    partner: { id: string };
    service: { id: string };
  } | null;
}

/** Forwarding: only with the entrepreneur's consent for the new partner; the new referral is linked and visible to the new partner only. */
describe('referrals subgraph: forwarding a referral to a better-placed partner', () => {
  let service: ServiceUnderTest;
  let t: Tokens;
  beforeAll(async () => {
    service = await startReferrals('forwarding');
    t = await tokensFor(service);
  });
  afterAll(() => service?.close());

  const forwardInput = (referralId: string) => ({ referralId, toPartnerId: ORG.forwardPartner, toServiceId: FORWARD_SERVICE_ID, reason: 'Innovatief product: beter bij de ROM' });

  it('without a consent for the target partner: BAD_USER_INPUT on field consent, nothing appended', async () => {
    const { referral } = await makeReferral(service, t.city);
    await step(service, t.partner, 'acceptReferral', { referralId: referral.id });
    const before = await eventCounts(service, [referralStream(referral.id)]);

    const refused = await mutate(service, t.partner, 'forwardReferral', forwardInput(referral.id));
    expect(errorOf(refused)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consent' });
    expect(refused.data).toBeNull();
    expect(await eventCounts(service, [referralStream(referral.id)])).toEqual(before);
  });

  it('with a consent: the referral is forwarded, and a linked one opens for the new partner with the personal data carried over', async () => {
    const { referral } = await makeReferral(service, t.city, {
      needDescription: 'Prototype van een warmtepomp voor kassen',
      contact: { name: 'Pieter Bosch', email: 'pieter@bosch-kassen.nl' },
    });
    const firstId = referral.id;
    await step(service, t.partner, 'acceptReferral', { referralId: firstId });
    await giveConsent(service, t.city, referral.consent.subjectId, ORG.forwardPartner);

    const forwarded = await step(service, t.partner, 'forwardReferral', forwardInput(firstId));
    expect(forwarded.referral).toMatchObject({ id: firstId, status: 'forwarded', version: 2 });
    const secondId = forwarded.forwardedToReferralId as string;
    expect(secondId).toMatch(/^[0-9a-f-]{36}$/);
    expect(secondId).not.toBe(firstId);

    // The new partner sees the new referral, with personal data, as part of the same journey.
    const asNewPartner = await readReferral<Linked>(service, t.forwardPartner, secondId, LINKS);
    expect(asNewPartner.errors).toBeUndefined();
    expect(asNewPartner.data?.referral).toMatchObject({
      id: secondId,
      status: 'sent',
      journeyRootId: firstId,
      personalData: 'visible',
      contact: { name: 'Pieter Bosch', email: 'pieter@bosch-kassen.nl' },
      needDescription: 'Prototype van een warmtepomp voor kassen',
      partner: { id: ORG.forwardPartner },
      service: { id: FORWARD_SERVICE_ID },
    });
    // …but not the referral it came from, which is not addressed to it.
    expect(asNewPartner.data?.referral?.forwardedFrom).toBeNull();
    expect((await readReferral(service, t.forwardPartner, firstId)).data?.referral).toBeNull();

    // The first partner no longer sees where it went.
    expect((await readReferral(service, t.partner, secondId)).data?.referral).toBeNull();
    const asFirstPartner = await readReferral<Linked>(service, t.partner, firstId, 'status forwardedTo { id }');
    expect(asFirstPartner.data?.referral).toEqual({ status: 'forwarded', forwardedTo: null });

    // The city sees both ends of the link.
    const cityFirst = await readReferral<Linked>(service, t.city, firstId, LINKS);
    expect(cityFirst.data?.referral).toMatchObject({ status: 'forwarded', journeyRootId: firstId, forwardedTo: { id: secondId }, forwardedFrom: null });
    const citySecond = await readReferral<Linked>(service, t.city, secondId, LINKS);
    expect(citySecond.data?.referral).toMatchObject({ status: 'sent', journeyRootId: firstId, forwardedFrom: { id: firstId }, forwardedTo: null });

    expect((await readStream(service, referralStream(firstId))).map((e) => e.type)).toEqual(['ReferralMade', 'ReferralAccepted', 'ReferralForwarded']);
    const opened = await readStream(service, referralStream(secondId));
    expect(opened.map((e) => e.type)).toEqual(['ReferralMade']);
    expect(opened[0]?.data).toMatchObject({ referralId: secondId, journeyRootId: firstId, forwardedFromReferralId: firstId, partnerId: ORG.forwardPartner });

    // The new partner works it like any other referral.
    expect(await step(service, t.forwardPartner, 'acceptReferral', { referralId: secondId })).toMatchObject({ referral: { status: 'accepted' } });
  });

  it('a forwarded referral can be forwarded again: the journey root stays the first referral', async () => {
    const { referral } = await makeReferral(service, t.city);
    const subjectId = referral.consent.subjectId;
    await giveConsent(service, t.city, subjectId, ORG.forwardPartner);
    await giveConsent(service, t.city, subjectId, 'rvo');
    const second = (await step(service, t.partner, 'forwardReferral', forwardInput(referral.id))).forwardedToReferralId as string;
    const third = await step(service, t.forwardPartner, 'forwardReferral', { referralId: second, toPartnerId: 'rvo', toServiceId: 'rvo-innovatiekrediet' });
    const thirdId = third.forwardedToReferralId as string;
    const rvo = await service.token('rvo', 'partner_agent');
    const read = await readReferral<Linked>(service, rvo, thirdId, 'id journeyRootId personalData');
    expect(read.data?.referral).toEqual({ id: thirdId, journeyRootId: referral.id, personalData: 'visible' });
    const city = await readReferral<Linked>(service, t.city, thirdId, 'forwardedFrom { id }');
    expect(city.data?.referral?.forwardedFrom).toEqual({ id: second });
    expect((await readStream(service, subjectStream(subjectId))).map((e) => e.type)).toEqual(['ConsentGiven', 'ConsentGiven', 'ConsentGiven']);
  });
});

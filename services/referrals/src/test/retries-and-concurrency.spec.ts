import type { ServiceUnderTest } from '@koppelstuk/testing';
import {
  errorOf,
  eventCounts,
  FORWARD_SERVICE_ID,
  giveConsent,
  MAKE_REFERRAL,
  makeInput,
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
  type MakeReferralData,
  type Tokens,
} from './helpers';

/** A command carries an idempotency key (DESIGN.md §3): a retry appends nothing; concurrent writers never both win. */
describe('referrals subgraph: idempotent retries and concurrent writers', () => {
  let service: ServiceUnderTest;
  let t: Tokens;
  beforeAll(async () => {
    service = await startReferrals('retries');
    t = await tokensFor(service);
  });
  afterAll(() => service?.close());

  const countOf = async (stream: string, type: string) => (await readStream(service, stream)).filter((e) => e.type === type).length;

  describe('the same clientMutationId twice: the same answer, nothing appended the second time', () => {
    it('makeReferral', async () => {
      const input = makeInput({ clientMutationId: 'make-retry' });
      const first = await service.graphql<MakeReferralData>(t.city, MAKE_REFERRAL, { input });
      expect(first.errors).toBeUndefined();
      const made = first.data?.makeReferral.referral;
      const streams = [referralStream(made?.id as string), subjectStream(made?.consent.subjectId as string)];
      const before = await eventCounts(service, streams);
      expect(before).toMatchObject({ [streams[0] as string]: 1, [streams[1] as string]: 1 });

      const second = await service.graphql<MakeReferralData>(t.city, MAKE_REFERRAL, { input });
      expect(second.errors).toBeUndefined();
      expect(second.data?.makeReferral).toEqual({ ...first.data?.makeReferral, clientMutationId: 'make-retry' });
      expect(second.data?.makeReferral.referral).toEqual(made);
      expect(await eventCounts(service, streams)).toEqual(before);
    });

    it('acceptReferral', async () => {
      const { referral } = await makeReferral(service, t.city);
      const first = await step(service, t.partner, 'acceptReferral', { referralId: referral.id, clientMutationId: 'accept-retry' });
      const before = await eventCounts(service, [referralStream(referral.id)]);
      const second = await step(service, t.partner, 'acceptReferral', { referralId: referral.id, clientMutationId: 'accept-retry' });
      expect(second).toEqual(first);
      expect(second.referral).toMatchObject({ status: 'accepted', version: 1 });
      expect(await eventCounts(service, [referralStream(referral.id)])).toEqual(before);
      expect(await countOf(referralStream(referral.id), 'ReferralAccepted')).toBe(1);
    });

    it('recordOutcome: the same outcome id, one OutcomeRecorded; the same key from another user is another command', async () => {
      const { referral } = await makeReferral(service, t.city);
      await step(service, t.partner, 'acceptReferral', { referralId: referral.id });
      const input = { referralId: referral.id, clientMutationId: 'outcome-retry', code: 'subsidy_granted', amountCents: 2_500_000, occurredAt: new Date().toISOString() };
      const first = await step(service, t.partner, 'recordOutcome', input);
      const before = await eventCounts(service, [referralStream(referral.id)]);
      const second = await step(service, t.partner, 'recordOutcome', input);
      expect(second).toEqual(first);
      expect(await eventCounts(service, [referralStream(referral.id)])).toEqual(before);
      const outcomes = await readReferral<{ referral: { outcomes: { id: string }[] } }>(service, t.partner, referral.id, 'outcomes { id }');
      expect(outcomes.data?.referral.outcomes).toHaveLength(1);

      // Keys are scoped to the caller: a colleague choosing the same key records their own outcome.
      const colleague = await service.token(ORG.partner, 'partner_agent', 'rabobank.colleague');
      const theirs = await step(service, colleague, 'recordOutcome', input);
      expect(theirs.referral.version).toBe(first.referral.version + 1);
      const both = await readReferral<{ referral: { outcomes: { id: string }[] } }>(service, t.partner, referral.id, 'outcomes { id }');
      expect(new Set(both.data?.referral.outcomes.map((o) => o.id)).size).toBe(2);
    });

    it('forwardReferral: the same new referral, opened once', async () => {
      const { referral } = await makeReferral(service, t.city);
      await giveConsent(service, t.city, referral.consent.subjectId, ORG.forwardPartner);
      const input = { referralId: referral.id, clientMutationId: 'forward-retry', toPartnerId: ORG.forwardPartner, toServiceId: FORWARD_SERVICE_ID };
      const first = await step(service, t.partner, 'forwardReferral', input);
      const toId = first.forwardedToReferralId as string;
      const streams = [referralStream(referral.id), referralStream(toId), subjectStream(referral.consent.subjectId)];
      const before = await eventCounts(service, streams);
      expect(before).toMatchObject({ [referralStream(referral.id)]: 2, [referralStream(toId)]: 1 });

      const second = await step(service, t.partner, 'forwardReferral', input);
      expect(second).toEqual(first);
      expect(second.forwardedToReferralId).toBe(toId);
      expect(await eventCounts(service, streams)).toEqual(before);
    });

    it('eight concurrent retries of one acceptReferral: all get the same answer, one event', async () => {
      const { referral } = await makeReferral(service, t.city);
      const input = { referralId: referral.id, clientMutationId: 'accept-storm' };
      const responses = await Promise.all(Array.from({ length: 8 }, () => mutate(service, t.partner, 'acceptReferral', input)));
      for (const response of responses) {
        expect(response.errors).toBeUndefined();
        expect(response.data?.['acceptReferral']?.referral).toMatchObject({ status: 'accepted', version: 1 });
      }
      expect((await readStream(service, referralStream(referral.id))).map((e) => e.type)).toEqual(['ReferralMade', 'ReferralAccepted']);
    });
  });

  describe('concurrency', () => {
    it('eight concurrent acceptReferral calls: exactly one wins, the others get INVALID_TRANSITION or CONFLICT', async () => {
      const { referral } = await makeReferral(service, t.city);
      const agents = await Promise.all(Array.from({ length: 8 }, (_, i) => service.token(ORG.partner, 'partner_agent', `rabobank.agent-${i}`)));
      const before = await eventCounts(service);
      const responses = await Promise.all(agents.map((token) => mutate(service, token, 'acceptReferral', { referralId: referral.id })));

      const won = responses.filter((r) => !r.errors);
      const lost = responses.filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(won[0]?.data?.['acceptReferral']?.referral).toMatchObject({ status: 'accepted', version: 1 });
      expect(lost).toHaveLength(7);
      for (const response of lost) {
        expect(['INVALID_TRANSITION', 'CONFLICT']).toContain(errorOf(response)?.code);
        expect(response.data).toBeNull();
      }
      expect(await countOf(referralStream(referral.id), 'ReferralAccepted')).toBe(1);
      expect((await eventCounts(service)).$all).toBe((before.$all as number) + 1);
    });

    it('a stale expectedVersion: CONFLICT naming the current version, nothing appended; the current one succeeds', async () => {
      const { referral } = await makeReferral(service, t.city);
      await step(service, t.partner, 'acceptReferral', { referralId: referral.id, expectedVersion: 0 });
      const before = await eventCounts(service, [referralStream(referral.id)]);

      // Asking for information is allowed on an accepted referral: only the version is wrong.
      const stale = await mutate(service, t.partner, 'requestInformation', { referralId: referral.id, expectedVersion: 0, question: 'Omzet?' });
      expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT' });
      expect(stale.errors?.[0]?.extensions).toMatchObject({ currentVersion: 1 });
      expect(stale.data).toBeNull();
      expect(await eventCounts(service, [referralStream(referral.id)])).toEqual(before);

      const current = await step(service, t.partner, 'requestInformation', { referralId: referral.id, expectedVersion: 1, question: 'Omzet?' });
      expect(current.referral).toMatchObject({ status: 'on_hold', version: 2 });
    });

    it('two writers with the same expectedVersion at once: one wins, the other gets CONFLICT', async () => {
      const { referral } = await makeReferral(service, t.city);
      const [a, b] = await Promise.all([
        mutate(service, t.partner, 'acceptReferral', { referralId: referral.id, expectedVersion: 0 }),
        mutate(service, t.city, 'withdrawReferral', { referralId: referral.id, expectedVersion: 0, reason: 'Toch niet nodig' }),
      ]);
      const outcomes = [a, b].map((r) => (r.errors ? errorOf(r)?.code : 'ok')).sort();
      expect(outcomes).toEqual(['CONFLICT', 'ok']);
      expect(await readStream(service, referralStream(referral.id))).toHaveLength(2);
    });
  });
});

import { seedDirectory } from '@koppelstuk/seed';
import { startServiceForTest, type ServiceUnderTest } from '@koppelstuk/testing';
import { ReferralsModule } from '../app.module';
import { loadReferralsConfig } from '../config';

const MAKE = `mutation($input: MakeReferralInput!) { makeReferral(input: $input) { referral { id version status personalData contact { name } } warnings { code referralIds } } }`;

export const makeInput = (overrides: Record<string, unknown> = {}) => ({
  cityId: 'gm0141-almelo',
  partnerId: 'rabobank',
  serviceId: 'rabobank-bedrijfsfinanciering',
  needCategory: 'financing',
  needDescription: 'Investering in een nieuwe CNC-machine',
  entrepreneur: { kvkNumber: '12345678', businessName: 'De Vries Metaal BV', sbiCode: '2511', sizeClass: 'small' },
  contact: { name: 'Jan de Vries', email: 'jan@devriesmetaal.nl' },
  consent: { givenBy: 'Jan de Vries', givenAt: new Date(Date.now() - 60_000).toISOString(), purpose: 'Doorverwijzing financiering', expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(), anonymousStatistics: true },
  ...overrides,
});

describe('referrals subgraph: one referral through its whole life, with real JWTs', () => {
  let service: ServiceUnderTest;
  beforeAll(async () => {
    service = await startServiceForTest((env) => ReferralsModule.forRoot(loadReferralsConfig(env)), { label: 'referrals' });
    await seedDirectory(service.store);
  });
  afterAll(() => service?.close());

  it('make → accept → request information → provide → start → record a loan → close', async () => {
    const city = await service.token('gm0141-almelo', 'city_officer');
    const bank = await service.token('rabobank', 'partner_agent');
    const made = await service.graphql<{ makeReferral: { referral: { id: string; status: string; personalData: string; contact: { name: string } } } }>(city, MAKE, {
      input: makeInput({ clientMutationId: 'make-1' }),
    });
    expect(made.errors).toBeUndefined();
    const id = made.data?.makeReferral.referral.id as string;
    expect(made.data?.makeReferral.referral).toMatchObject({ status: 'sent', personalData: 'visible', contact: { name: 'Jan de Vries' } });

    const step = async (token: string, mutation: string, input: Record<string, unknown>) => {
      const result = await service.graphql<Record<string, { referral: { status: string; version: number } }>>(
        token,
        `mutation($input: ${input['__type']}!) { ${mutation}(input: $input) { referral { status version } } }`,
        { input: { ...input, __type: undefined, referralId: id } },
      );
      expect(result.errors).toBeUndefined();
      return result.data?.[mutation]?.referral;
    };
    expect(await step(bank, 'acceptReferral', { __type: 'ReferralActionInput' })).toEqual({ status: 'accepted', version: 1 });
    expect(await step(bank, 'requestInformation', { __type: 'RequestInformationInput', question: 'Wat is de omzet?' })).toEqual({ status: 'on_hold', version: 2 });
    expect(await step(city, 'provideInformation', { __type: 'ProvideInformationInput', answer: 'Twee miljoen' })).toEqual({ status: 'accepted', version: 3 });
    expect(await step(bank, 'startWork', { __type: 'ReferralActionInput' })).toEqual({ status: 'in_progress', version: 4 });
    expect(
      await step(bank, 'recordOutcome', { __type: 'RecordOutcomeInput', code: 'loan_or_guarantee', amountCents: 25_000_000, occurredAt: new Date().toISOString(), jobsRetained: 12 }),
    ).toEqual({ status: 'in_progress', version: 5 });
    expect(await step(bank, 'closeReferral', { __type: 'ReferralActionInput' })).toEqual({ status: 'completed', version: 6 });

    const events = [];
    for await (const event of service.store.readStream(`referral-${id}`)) events.push(event.type);
    expect(events).toEqual(['ReferralMade', 'ReferralAccepted', 'InformationRequested', 'InformationProvided', 'WorkStarted', 'OutcomeRecorded', 'ReferralClosed']);
  });
});

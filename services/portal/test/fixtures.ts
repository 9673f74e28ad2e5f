import type { Network } from './network';

/**
 * Referrals made through the gateway, as the city and the partner would: enough distinct entrepreneurs
 * for the city's statistics to be published (cells about fewer than 5 are suppressed), in every state.
 */
const DAY = 86_400_000;

export interface Fixture {
  readonly kvk: string;
  readonly name: string;
  readonly need: string;
  readonly service: string;
  readonly partner: string;
  readonly path: 'loan' | 'accepted' | 'on_hold' | 'sent' | 'declined' | 'subsidy';
  readonly contact: string;
}

export const ALMELO_FIXTURES: readonly Fixture[] = [
  { kvk: '68750110', name: 'Bakkerij Van den Berg', need: 'financing', service: 'rabobank-bedrijfsfinanciering', partner: 'rabobank', path: 'loan', contact: 'Eva van den Berg' },
  { kvk: '70123456', name: 'Twentse Metaalbewerking BV', need: 'financing', service: 'rabobank-bedrijfsfinanciering', partner: 'rabobank', path: 'accepted', contact: 'Mehmet Yilmaz' },
  { kvk: '81234567', name: 'Kapsalon Knip & Zo', need: 'financing', service: 'rabobank-bedrijfsfinanciering', partner: 'rabobank', path: 'on_hold', contact: 'Sanne de Jong' },
  { kvk: '62345678', name: 'De Groene Drukker', need: 'sustainability', service: 'rabobank-duurzaam-ondernemen', partner: 'rabobank', path: 'sent', contact: 'Pieter Bos' },
  { kvk: '73456789', name: 'Fietsenmakerij Almelo', need: 'financing', service: 'rabobank-bedrijfsfinanciering', partner: 'rabobank', path: 'declined', contact: 'Ahmed El Idrissi' },
  { kvk: '84567890', name: 'Zorgtechniek Oost BV', need: 'innovation', service: 'provincie-overijssel-mit', partner: 'provincie-overijssel', path: 'subsidy', contact: 'Lotte Visser' },
  { kvk: '59876543', name: 'Houtbewerking Wierden', need: 'financing', service: 'ing-zakelijk-krediet', partner: 'ing', path: 'sent', contact: 'Joost Hendriks' },
];

type Call = <T>(token: string, query: string, variables?: Record<string, unknown>) => Promise<T>;

export function caller(network: Network): Call {
  return async <T>(token: string, query: string, variables: Record<string, unknown> = {}) => {
    const body = await network.graphql<T>(token, query, variables);
    if (body.errors?.length) throw new Error(`GraphQL refused: ${body.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}`);
    return body.data as T;
  };
}

export async function makeReferral(network: Network, cityToken: string, cityId: string, fixture: Fixture, index = 0): Promise<string> {
  const call = caller(network);
  const made = await call<{ makeReferral: { referral: { id: string } } }>(
    cityToken,
    `mutation($input: MakeReferralInput!) { makeReferral(input: $input) { referral { id } } }`,
    {
      input: {
        clientMutationId: `fixture-${cityId}-${fixture.kvk}-${index}`,
        cityId,
        partnerId: fixture.partner,
        serviceId: fixture.service,
        needCategory: fixture.need,
        needDescription: `Hulpvraag van ${fixture.name}`,
        entrepreneur: { kvkNumber: fixture.kvk, businessName: fixture.name, sizeClass: 'small' },
        contact: { name: fixture.contact, email: `${fixture.contact.split(' ')[0]?.toLowerCase()}@example.nl`, phone: '0546 123456' },
        consent: {
          givenBy: fixture.contact,
          givenAt: new Date(Date.now() - (index + 1) * 60_000).toISOString(),
          purpose: `Doorverwijzing naar ${fixture.partner}`,
          expiresAt: new Date(Date.now() + 365 * DAY).toISOString(),
          anonymousStatistics: true,
        },
      },
    },
  );
  return made.makeReferral.referral.id;
}

/** Makes the fixtures for a city and works them as their partners; returns the referral ids by KvK number. */
export async function seedReferrals(network: Network, cityId: string, fixtures: readonly Fixture[] = ALMELO_FIXTURES): Promise<Map<string, string>> {
  const call = caller(network);
  const city = await network.token(cityId, 'city_officer');
  const ids = new Map<string, string>();
  for (const [index, fixture] of fixtures.entries()) {
    const referralId = await makeReferral(network, city, cityId, fixture, index);
    ids.set(fixture.kvk, referralId);
    const partner = await network.token(fixture.partner, 'partner_agent');
    const step = (mutation: string, input: string, extra: Record<string, unknown> = {}) =>
      call(partner, `mutation($input: ${input}!) { ${mutation}(input: $input) { referral { id } } }`, { input: { referralId, ...extra } });
    switch (fixture.path) {
      case 'loan':
        await step('acceptReferral', 'ReferralActionInput');
        await step('startWork', 'ReferralActionInput');
        await step('recordOutcome', 'RecordOutcomeInput', { code: 'loan_or_guarantee', amountCents: 8_500_000, occurredAt: new Date().toISOString(), jobsRetained: 6, jobsCreated: 1 });
        break;
      case 'subsidy':
        await step('acceptReferral', 'ReferralActionInput');
        await step('recordOutcome', 'RecordOutcomeInput', { code: 'subsidy_granted', amountCents: 2_000_000, occurredAt: new Date().toISOString(), jobsCreated: 2 });
        await step('closeReferral', 'ReferralActionInput');
        break;
      case 'accepted':
        await step('acceptReferral', 'ReferralActionInput');
        break;
      case 'on_hold':
        await step('requestInformation', 'RequestInformationInput', { question: 'Kunt u de schadeopgave van de verzekeraar meesturen?' });
        break;
      case 'declined':
        await step('declineReferral', 'DeclineReferralInput', { reason: 'better_fit_elsewhere', explanation: 'Qredits past beter bij dit bedrag' });
        break;
      case 'sent':
        break;
    }
  }
  return ids;
}

/**
 * A few referrals in different states, made through the gateway as a city officer and worked by the
 * Rabobank agent, so that a first `npm start` shows a living inbox, tracker and dashboard. Only when the
 * city has made no referrals yet.
 */
interface Tokens {
  readonly city: string;
  readonly partner: string;
}

const DAY = 86_400_000;

const DEMO = [
  { kvk: '68750110', name: 'Bakkerij Van den Berg', size: 'micro', need: 'financing', text: 'Nieuwe ovens en een bezorgbus', contact: 'Eva van den Berg', path: 'loan' },
  { kvk: '70123456', name: 'Twentse Metaalbewerking BV', size: 'small', need: 'financing', text: 'Werkkapitaal voor een grote order uit Duitsland', contact: 'Mehmet Yilmaz', path: 'accepted' },
  { kvk: '81234567', name: 'Kapsalon Knip & Zo', size: 'solo', need: 'financing', text: 'Herinrichting na waterschade', contact: 'Sanne de Jong', path: 'on_hold' },
  { kvk: '62345678', name: 'De Groene Drukker', size: 'micro', need: 'sustainability', text: 'Zonnepanelen en isolatie van de drukkerij', contact: 'Pieter Bos', path: 'sent', service: 'rabobank-duurzaam-ondernemen' },
  { kvk: '73456789', name: 'Fietsenmakerij Almelo', size: 'solo', need: 'financing', text: 'Voorraadfinanciering e-bikes', contact: 'Ahmed El Idrissi', path: 'declined' },
  { kvk: '84567890', name: 'Zorgtechniek Oost BV', size: 'small', need: 'financing', text: 'Groeifinanciering na een eerste pilot', contact: 'Lotte Visser', path: 'sent' },
] as const;

export async function seedDemoReferrals(graphqlUrl: string, tokens: Tokens): Promise<number> {
  const call = async <T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`demo data: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  };
  const existing = await call<{ cityReferrals: { totalCount: number } }>(tokens.city, '{ cityReferrals(first: 1) { totalCount } }');
  if (existing.cityReferrals.totalCount > 0) return 0;

  for (const [index, demo] of DEMO.entries()) {
    const made = await call<{ makeReferral: { referral: { id: string } } }>(
      tokens.city,
      `mutation($input: MakeReferralInput!) { makeReferral(input: $input) { referral { id } } }`,
      {
        input: {
          clientMutationId: `demo-${demo.kvk}`,
          cityId: 'gm0141-almelo',
          partnerId: 'rabobank',
          serviceId: 'service' in demo ? demo.service : 'rabobank-bedrijfsfinanciering',
          needCategory: demo.need,
          needDescription: demo.text,
          entrepreneur: { kvkNumber: demo.kvk, businessName: demo.name, sizeClass: demo.size },
          contact: { name: demo.contact, email: `${demo.contact.split(' ')[0]?.toLowerCase()}@example.nl` },
          consent: {
            givenBy: demo.contact,
            givenAt: new Date(Date.now() - (index + 1) * 3_600_000).toISOString(),
            purpose: 'Doorverwijzing naar de Rabobank voor financieringsadvies',
            expiresAt: new Date(Date.now() + 365 * DAY).toISOString(),
            anonymousStatistics: true,
          },
        },
      },
    );
    const referralId = made.makeReferral.referral.id;
    const step = (mutation: string, input: string, extra: Record<string, unknown> = {}) =>
      call(tokens.partner, `mutation($input: ${input}!) { ${mutation}(input: $input) { referral { id } } }`, { input: { referralId, ...extra } });
    switch (demo.path) {
      case 'loan':
        await step('acceptReferral', 'ReferralActionInput');
        await step('startWork', 'ReferralActionInput');
        await step('recordOutcome', 'RecordOutcomeInput', { code: 'loan_or_guarantee', amountCents: 8_500_000, occurredAt: new Date().toISOString(), jobsRetained: 6, jobsCreated: 1 });
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
  return DEMO.length;
}

import { DataSource } from 'typeorm';
import type { RecordedEvent } from '@koppelstuk/event-store';
import { seedDirectory } from '@koppelstuk/seed';
import { startServiceForTest, type GraphQLResponse, type ServiceUnderTest } from '@koppelstuk/testing';
import { ReferralsModule } from '../app.module';
import { loadReferralsConfig } from '../config';

/**
 * Shared arrangements for the referrals subgraph's integration tests: the service booted in-process on a
 * fresh database with the demo G40 directory, tokens for every kind of caller, GraphQL operations and
 * direct looks at the event store and the database.
 */

export async function startReferrals(label = 'referrals', env: Record<string, string> = {}): Promise<ServiceUnderTest> {
  const service = await startServiceForTest((config) => ReferralsModule.forRoot(loadReferralsConfig(config)), { label, env });
  await seedDirectory(service.store);
  return service;
}

/** Organisations of the demo directory the tests act for. */
export const ORG = {
  city: 'gm0141-almelo',
  otherCity: 'gm0150-deventer',
  partner: 'rabobank',
  otherPartner: 'ing',
  /** The ROM serving Almelo: where referrals are forwarded to. */
  forwardPartner: 'oost-nl',
  auditor: 'rekenkamer-g40',
  admin: 'g40-programmabureau',
} as const;

export const SERVICE_ID = 'rabobank-bedrijfsfinanciering';
export const FORWARD_SERVICE_ID = 'oost-nl-innovatiefinanciering';

export interface Tokens {
  readonly city: string;
  readonly otherCity: string;
  readonly partner: string;
  readonly otherPartner: string;
  readonly forwardPartner: string;
  readonly auditor: string;
  readonly admin: string;
  /** The referring city's auditor role: may read (masked), never act. */
  readonly cityAuditor: string;
}

export async function tokensFor(service: ServiceUnderTest): Promise<Tokens> {
  return {
    city: await service.token(ORG.city, 'city_officer'),
    otherCity: await service.token(ORG.otherCity, 'city_officer'),
    partner: await service.token(ORG.partner, 'partner_agent'),
    otherPartner: await service.token(ORG.otherPartner, 'partner_agent'),
    forwardPartner: await service.token(ORG.forwardPartner, 'partner_agent'),
    auditor: await service.token(ORG.auditor, 'auditor'),
    admin: await service.token(ORG.admin, 'admin'),
    cityAuditor: await service.token(ORG.city, 'auditor'),
  };
}

let kvkCounter = 0;
/** A valid KvK number no other referral of this test file uses (so duplicate warnings stay predictable). */
export const nextKvk = (): string => String(30_000_000 + ++kvkCounter * 7);

export const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();
export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

export function makeInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cityId: ORG.city,
    partnerId: ORG.partner,
    serviceId: SERVICE_ID,
    needCategory: 'financing',
    needDescription: 'Investering in een nieuwe CNC-machine',
    entrepreneur: { kvkNumber: nextKvk(), businessName: 'De Vries Metaal BV', sbiCode: '2511', sizeClass: 'small' },
    contact: { name: 'Jan de Vries', email: 'jan@devriesmetaal.nl' },
    consent: { givenBy: 'Jan de Vries', givenAt: minutesAgo(1), purpose: 'Doorverwijzing financiering', expiresAt: inDays(365), anonymousStatistics: true },
    ...overrides,
  };
}

/** Core fields only: asking for no personal field means no personal data is decrypted (or logged). */
export const CORE_FIELDS = 'id version status personalData journeyRootId consent { consentId subjectId }';

export const MAKE_REFERRAL = `mutation($input: MakeReferralInput!) {
  makeReferral(input: $input) { clientMutationId referral { ${CORE_FIELDS} } warnings { code message referralIds } }
}`;

export interface ReferralCore {
  id: string;
  version: number;
  status: string;
  personalData: string;
  journeyRootId: string;
  consent: { consentId: string; subjectId: string };
}

export interface MakeReferralData {
  makeReferral: { clientMutationId: string | null; referral: ReferralCore; warnings: { code: string; message: string; referralIds: string[] }[] };
}

/** Makes a referral (as the Almelo officer unless another token is given) and fails the test if it is refused. */
export async function makeReferral(service: ServiceUnderTest, token: string, overrides: Record<string, unknown> = {}): Promise<MakeReferralData['makeReferral']> {
  const response = await service.graphql<MakeReferralData>(token, MAKE_REFERRAL, { input: makeInput(overrides) });
  if (response.errors || !response.data) throw new Error(`makeReferral was refused: ${JSON.stringify(response.errors)}`);
  return response.data.makeReferral;
}

const INPUT_TYPES = {
  acceptReferral: 'ReferralActionInput',
  startWork: 'ReferralActionInput',
  closeReferral: 'ReferralActionInput',
  declineReferral: 'DeclineReferralInput',
  requestInformation: 'RequestInformationInput',
  provideInformation: 'ProvideInformationInput',
  withdrawReferral: 'WithdrawReferralInput',
  recordOutcome: 'RecordOutcomeInput',
  forwardReferral: 'ForwardReferralInput',
} as const;

export type ReferralMutation = keyof typeof INPUT_TYPES;
export const REFERRAL_MUTATIONS = Object.keys(INPUT_TYPES) as ReferralMutation[];

export interface MutationPayload {
  clientMutationId: string | null;
  referral: ReferralCore;
  forwardedToReferralId?: string;
}

/** One of the referral mutations, with the referral's core fields (and the new id of a forward) in the answer. */
export function mutate(
  service: ServiceUnderTest,
  token: string | null,
  mutation: ReferralMutation,
  input: Record<string, unknown>,
  fields = CORE_FIELDS,
): Promise<GraphQLResponse<Record<string, MutationPayload>>> {
  const extra = mutation === 'forwardReferral' ? ' forwardedToReferralId' : '';
  return service.graphql<Record<string, MutationPayload>>(
    token,
    `mutation($input: ${INPUT_TYPES[mutation]}!) { ${mutation}(input: $input) { clientMutationId referral { ${fields} }${extra} } }`,
    { input },
  );
}

/** A mutation that must succeed: its payload. */
export async function step(service: ServiceUnderTest, token: string, mutation: ReferralMutation, input: Record<string, unknown>): Promise<MutationPayload> {
  const response = await mutate(service, token, mutation, input);
  if (response.errors || !response.data?.[mutation]) throw new Error(`${mutation} was refused: ${JSON.stringify(response.errors)}`);
  return response.data[mutation] as MutationPayload;
}

/** A valid input for each referral mutation (what a legitimate caller would send). */
export function validInputFor(mutation: ReferralMutation, referralId: string): Record<string, unknown> {
  switch (mutation) {
    case 'declineReferral':
      return { referralId, reason: 'no_capacity' };
    case 'requestInformation':
      return { referralId, question: 'Wat is de omzet?' };
    case 'provideInformation':
      return { referralId, answer: 'Twee miljoen euro' };
    case 'withdrawReferral':
      return { referralId, reason: 'De ondernemer heeft zelf een oplossing gevonden' };
    case 'recordOutcome':
      return { referralId, code: 'advice_given', occurredAt: new Date().toISOString() };
    case 'forwardReferral':
      return { referralId, toPartnerId: ORG.forwardPartner, toServiceId: FORWARD_SERVICE_ID, reason: 'Innovatief project' };
    default:
      return { referralId };
  }
}

export function readReferral<T = { referral: Record<string, unknown> | null }>(service: ServiceUnderTest, token: string, id: string, fields = CORE_FIELDS) {
  return service.graphql<T>(token, `query($id: ID!) { referral(id: $id) { ${fields} } }`, { id });
}

export const GIVE_CONSENT = `mutation($input: GiveConsentInput!) {
  giveConsent(input: $input) { id erased consents { id partner { id } city { id } purpose expiresAt withdrawnAt valid } }
}`;

export interface SubjectData {
  id: string;
  erased: boolean;
  consents: { id: string; partner: { id: string }; city: { id: string }; purpose: string; expiresAt: string; withdrawnAt: string | null; valid: boolean }[];
}

export function consentInput(subjectId: string, partnerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subjectId,
    cityId: ORG.city,
    partnerId,
    givenBy: 'Jan de Vries',
    givenAt: minutesAgo(1),
    purpose: `Doorverwijzing naar ${partnerId}`,
    expiresAt: inDays(365),
    anonymousStatistics: true,
    ...overrides,
  };
}

/** Records a consent of the subject for a partner, as the Almelo officer; returns the new consent's id. */
export async function giveConsent(service: ServiceUnderTest, token: string, subjectId: string, partnerId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await service.graphql<{ giveConsent: SubjectData }>(token, GIVE_CONSENT, { input: consentInput(subjectId, partnerId, overrides) });
  if (response.errors || !response.data) throw new Error(`giveConsent was refused: ${JSON.stringify(response.errors)}`);
  const consent = response.data.giveConsent.consents.filter((c) => c.partner.id === partnerId).at(-1);
  return consent?.id as string;
}

export async function readStream(service: ServiceUnderTest, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of service.store.readStream(stream)) events.push(event);
  return events;
}

export async function readAll(service: ServiceUnderTest): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of service.store.readAll()) events.push(event);
  return events;
}

export const referralStream = (id: string) => `referral-${id}`;
export const subjectStream = (id: string) => `subject-${id}`;

/**
 * How many events the global log holds, read through readAll. readAll only shows events below the oldest
 * running transaction (so it never skips a late commit): while, say, a projection's batch transaction is
 * open it may lag behind what is committed. So read it until it shows every committed event (a bounded
 * liveness wait), and count that.
 */
export async function globalCount(service: ServiceUnderTest): Promise<number> {
  const [row] = (await database(service).query('select count(*)::int as committed from event_store.events')) as { committed: number }[];
  const committed = row?.committed ?? 0;
  const { count } = await waitFor(`readAll shows all ${committed} committed events`, async () => {
    const count = (await readAll(service)).length;
    return count >= committed ? { count } : null;
  });
  return count;
}

/** Event counts of the global log and of some streams: compare before and after to prove nothing was appended. */
export async function eventCounts(service: ServiceUnderTest, streams: readonly string[] = []): Promise<Record<string, number>> {
  const counts: Record<string, number> = { $all: await globalCount(service) };
  for (const stream of streams) counts[stream] = (await readStream(service, stream)).length;
  return counts;
}

/** The app's own database connection (read models, personal_data, event_store tables). */
export const database = (service: ServiceUnderTest): DataSource => service.app.get(DataSource);

/**
 * Waits until `probe` yields a value: a bounded liveness wait for something asynchronous (a projection),
 * never an assertion about how long it took.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting (${timeoutMs} ms) until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The referrals-process projection's row for this referral, once it has been projected. */
export function waitUntilProjected(service: ServiceUnderTest, referralId: string): Promise<{ status: string; sla_due_at: Date; overdue: boolean }> {
  return waitFor(`the referrals-process projection has projected referral ${referralId}`, async () => {
    const rows: { status: string; sla_due_at: Date; overdue: boolean }[] = await database(service).query(
      'select status, sla_due_at, overdue from referrals.open_referrals where referral_id = $1',
      [referralId],
    );
    return rows[0];
  });
}

/** The first error's code (and field), for `expect(...).toEqual(...)`. */
export function errorOf(response: GraphQLResponse<unknown>): { code: string | undefined; field?: string | undefined; message: string } | null {
  const [first] = response.errors ?? [];
  if (!first) return null;
  return {
    code: first.extensions?.code,
    ...(first.extensions?.field !== undefined ? { field: first.extensions.field } : {}),
    message: first.message,
  };
}

export const randomId = (): string => crypto.randomUUID();

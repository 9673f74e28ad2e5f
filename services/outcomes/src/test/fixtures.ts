/**
 * Test fixtures: referral event streams in the form the referrals service stores them (the real event
 * shapes of libs/domain, `personal` fields sealed). This projection never opens personal data, so a fixed
 * envelope with the sealed shape stands in for real ciphertext.
 */
import { randomUUID } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSION,
  slaDueAt,
  type DeclineReason,
  type NeedCategory,
  type OutcomeCode,
  type PartnerKind,
  type ReferralEvent,
} from '@koppelstuk/domain';
import { comparePositions, type EventStore, type JsonObject, type NewEvent, type Position } from '@koppelstuk/event-store';
import { Client } from 'pg';

const DAY_MS = 86_400_000;

export const CITY = { almelo: 'gm0141-almelo', apeldoorn: 'gm0200-apeldoorn', zwolle: 'gm0193-zwolle' } as const;
export const PARTNER = {
  rabobank: { id: 'rabobank', kind: 'bank' },
  oostNl: { id: 'oost-nl', kind: 'rom' },
  provincie: { id: 'provincie-overijssel', kind: 'province' },
} as const satisfies Record<string, { id: string; kind: PartnerKind }>;

/** The stored form of a `personal` value: never opened by this projection. */
export function sealed(subjectId: string): JsonObject {
  return {
    alg: 'A256GCM',
    subjectId,
    keyId: '7d4f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
    iv: 'AAECAwQFBgcICQoL',
    ciphertext: 'c2VhbGVkIHBlcnNvbmFsIGRhdGE=',
    tag: 'AAECAwQFBgcICQoLDA0ODw==',
  };
}

export type Step =
  | { readonly type: 'accept'; readonly after: number }
  | { readonly type: 'decline'; readonly after: number; readonly reason: DeclineReason }
  | { readonly type: 'request_information'; readonly after: number }
  | { readonly type: 'provide_information'; readonly after: number }
  | { readonly type: 'start'; readonly after: number }
  | { readonly type: 'withdraw'; readonly after: number }
  | { readonly type: 'close'; readonly after: number }
  | { readonly type: 'overdue'; readonly after: number }
  | { readonly type: 'forward'; readonly after: number; readonly to: ForwardSpec }
  | {
      readonly type: 'outcome';
      /** Days after sentAt it happened. */
      readonly after: number;
      /** Days after sentAt it was recorded (default: when it happened). */
      readonly recordedAfter?: number;
      readonly code: OutcomeCode;
      readonly amountCents?: number;
      readonly jobsRetained?: number;
      readonly jobsCreated?: number;
    };

/** The referral a forward opens: same city, entrepreneur, need and consent; another partner. */
export interface ForwardSpec {
  readonly id: string;
  readonly partner: { readonly id: string; readonly kind: PartnerKind };
  /** Days after the forward (its own sentAt). */
  readonly steps: readonly Step[];
}

export interface ReferralSpec {
  readonly id: string;
  readonly city: string;
  readonly partner: { readonly id: string; readonly kind: PartnerKind };
  readonly need: NeedCategory;
  readonly kvk: string;
  readonly sentAt: string;
  /** Days after sentAt, fractional. */
  readonly steps: readonly Step[];
  readonly anonymousStatistics?: boolean;
  readonly slaWorkingDays?: number;
  readonly journeyRootId?: string;
  readonly forwardedFromReferralId?: string | null;
}

/** One stream's events in order; a forward adds the new referral's stream after it. */
export interface StreamEvents {
  readonly stream: string;
  readonly events: readonly NewEvent[];
}

const at = (sentAt: string, days: number) => new Date(Date.parse(sentAt) + Math.round(days * DAY_MS)).toISOString();

export function newEvent(event: ReferralEvent, id: string = randomUUID(), actor = { userId: 'fixture', organisationId: 'fixture', roles: ['city_officer'] }): NewEvent {
  return {
    id,
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: { correlationId: `fixture-${id}`, causationId: null, actor, schemaVersion: CURRENT_SCHEMA_VERSION[event.type], commandType: 'Fixture' },
  };
}

/** Every stream of a referral spec (the referral itself, then the referrals its forwards open), in append order. */
export function referralStreams(spec: ReferralSpec, ids: () => string = randomUUID): StreamEvents[] {
  const subjectId = uuidFromText(`subject-${spec.kvk}`);
  const events: ReferralEvent[] = [];
  const forwarded: StreamEvents[] = [];
  const sla = spec.slaWorkingDays ?? 5;
  events.push({
    type: 'ReferralMade',
    data: {
      referralId: spec.id,
      journeyRootId: spec.journeyRootId ?? spec.id,
      forwardedFromReferralId: spec.forwardedFromReferralId ?? null,
      cityId: spec.city,
      partnerId: spec.partner.id,
      partnerKind: spec.partner.kind,
      serviceId: `${spec.partner.id}-dienst`,
      needCategory: spec.need,
      entrepreneur: { kvkNumber: spec.kvk, businessName: `Onderneming ${spec.kvk}`, sbiCode: '6201', sizeClass: 'small' },
      subjectId,
      consent: { consentId: uuidFromText(`consent-${spec.id}`), purpose: 'Doorverwijzing', expiresAt: at(spec.sentAt, 365), anonymousStatistics: spec.anonymousStatistics ?? true },
      slaWorkingDays: sla,
      slaDueAt: slaDueAt(new Date(spec.sentAt), sla).toISOString(),
      sentAt: spec.sentAt,
      personal: sealed(subjectId) as never,
    },
  });
  const referralId = spec.id;
  for (const step of spec.steps) {
    const when = at(spec.sentAt, step.after);
    switch (step.type) {
      case 'accept':
        events.push({ type: 'ReferralAccepted', data: { referralId, acceptedAt: when } });
        break;
      case 'decline':
        events.push({ type: 'ReferralDeclined', data: { referralId, reason: step.reason, declinedAt: when, personal: step.reason === 'other' ? (sealed(subjectId) as never) : null } });
        break;
      case 'request_information':
        events.push({ type: 'InformationRequested', data: { referralId, requestedAt: when, personal: sealed(subjectId) as never } });
        break;
      case 'provide_information':
        events.push({ type: 'InformationProvided', data: { referralId, providedAt: when, personal: sealed(subjectId) as never } });
        break;
      case 'start':
        events.push({ type: 'WorkStarted', data: { referralId, startedAt: when } });
        break;
      case 'withdraw':
        events.push({ type: 'ReferralWithdrawn', data: { referralId, withdrawnAt: when, personal: sealed(subjectId) as never } });
        break;
      case 'close':
        events.push({ type: 'ReferralClosed', data: { referralId, closedAt: when } });
        break;
      case 'overdue':
        events.push({ type: 'ReferralOverdue', data: { referralId, slaDueAt: slaDueAt(new Date(spec.sentAt), sla).toISOString(), detectedAt: when } });
        break;
      case 'outcome':
        events.push({
          type: 'OutcomeRecorded',
          data: {
            referralId,
            outcomeId: ids(),
            code: step.code,
            amountCents: step.amountCents ?? null,
            occurredAt: when,
            recordedAt: at(spec.sentAt, step.recordedAfter ?? step.after),
            jobsRetained: step.jobsRetained ?? null,
            jobsCreated: step.jobsCreated ?? null,
            personal: null,
          },
        });
        break;
      case 'forward':
        events.push({
          type: 'ReferralForwarded',
          data: { referralId, toReferralId: step.to.id, toPartnerId: step.to.partner.id, toServiceId: `${step.to.partner.id}-dienst`, forwardedAt: when, personal: null },
        });
        forwarded.push(
          ...referralStreams(
            {
              id: step.to.id,
              city: spec.city,
              partner: step.to.partner,
              need: spec.need,
              kvk: spec.kvk,
              sentAt: when,
              steps: step.to.steps,
              anonymousStatistics: spec.anonymousStatistics ?? true,
              slaWorkingDays: sla,
              journeyRootId: spec.journeyRootId ?? spec.id,
              forwardedFromReferralId: spec.id,
            },
            ids,
          ),
        );
        break;
    }
  }
  return [{ stream: `referral-${spec.id}`, events: events.map((event) => newEvent(event, ids())) }, ...forwarded];
}

/** Appends each referral's streams (one append per stream) and returns the last position. */
export async function appendReferrals(store: EventStore, specs: readonly ReferralSpec[]): Promise<Position> {
  let last: Position | null = null;
  for (const spec of specs) {
    for (const { stream, events } of referralStreams(spec)) {
      const result = await store.append(stream, events, { expectedRevision: 'no_stream' });
      if (!last || comparePositions(result.position, last) > 0) last = result.position;
    }
  }
  if (!last) throw new Error('nothing appended');
  return last;
}

/**
 * Appends events and sets their recorded_at, in ONE transaction, straight through the event store's SQL
 * function. Tests use this to control "when the store recorded it": the events only become visible to
 * readers (the projection) when the transaction commits, already carrying the chosen recorded_at, so the
 * projection never sees another value. Production code never does this.
 */
export async function appendRecordedAt(databaseUrl: string, stream: string, events: readonly NewEvent[], recordedAt: string): Promise<Position> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ outcome: string; commit_position: string; prepare_position: string }>(
      'select * from event_store.append_events($1, -1, $2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[])',
      [stream, events.map((e) => e.id), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data)), events.map((e) => JSON.stringify(e.metadata))],
    );
    if (rows[0]?.outcome !== 'appended') throw new Error(`append to ${stream}: ${rows[0]?.outcome}`);
    await client.query('update event_store.events set recorded_at = $1 where event_id = any($2::uuid[])', [recordedAt, events.map((e) => e.id)]);
    await client.query('commit');
    return { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** A stable UUID (v4-shaped) from any text, so fixture ids are readable in the spec and the same every run. */
export function uuidFromText(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const hex: string[] = [];
  for (let round = 0; hex.length < 32; round++) {
    for (let i = 0; i < text.length; i++) {
      h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619) >>> 0;
      h2 = Math.imul(h2 ^ (text.charCodeAt(i) + round), 2246822519) >>> 0;
    }
    hex.push(...((h1 ^ h2) >>> 0).toString(16).padStart(8, '0'));
    h1 = (h1 + 0x9e3779b9) >>> 0;
  }
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------------------
// A realistic mix for crash and rebuild tests: many journeys across the G40 cities and partners, appended
// one command at a time (one event per append, as the write side does) from several concurrent writers.
// ---------------------------------------------------------------------------------------------------------

const MIX_CITIES = [
  'gm0141-almelo', 'gm0362-amstelveen', 'gm0200-apeldoorn', 'gm0106-assen', 'gm0758-breda', 'gm0503-delft', 'gm0150-deventer',
  'gm0405-hoorn', 'gm0546-leiden', 'gm0828-oss', 'gm0606-schiedam', 'gm1883-sittard-geleen', 'gm0479-zaanstad', 'gm0193-zwolle',
];
const MIX_PARTNERS: readonly { id: string; kind: PartnerKind }[] = [
  { id: 'rabobank', kind: 'bank' },
  { id: 'ing', kind: 'bank' },
  { id: 'oost-nl', kind: 'rom' },
  { id: 'innovationquarter', kind: 'rom' },
  { id: 'provincie-overijssel', kind: 'province' },
  { id: 'rvo', kind: 'national_agency' },
  { id: 'kvk', kind: 'national_agency' },
  { id: 'ondernemersklankbord', kind: 'mkb_organisation' },
  { id: 'accountants-herstructurering', kind: 'accountant' },
  { id: 'tu-delft-valorisatie', kind: 'knowledge_institution' },
  { id: 'qredits', kind: 'other' },
];
const MIX_NEEDS: readonly NeedCategory[] = ['financing', 'innovation', 'sustainability', 'digitalisation', 'permits', 'internationalisation', 'restructuring', 'labour_market', 'location', 'other'];
const MIX_REASONS: readonly DeclineReason[] = ['no_capacity', 'outside_service_area', 'not_eligible', 'missing_information', 'better_fit_elsewhere', 'entrepreneur_unreachable', 'other'];
const MIX_OUTCOMES: readonly OutcomeCode[] = ['financing_granted', 'subsidy_granted', 'loan_or_guarantee', 'advice_given', 'coaching_started', 'permit_granted', 'no_fit', 'entrepreneur_withdrew', 'other'];

/** Deterministic pseudo-random numbers (mulberry32): a failing run can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function randomSteps(random: () => number, depth: number, uuid: () => string): Step[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hours = (min: number, max: number) => (min + random() * (max - min)) / 24;
  let t = hours(1, 24 * 12);
  const later = (min: number, max: number) => (t += hours(min, max));
  const outcome = (): Step => {
    const code = pick(MIX_OUTCOMES);
    const occurred = later(24, 24 * 60);
    const late = random() < 0.2;
    return {
      type: 'outcome',
      code,
      after: occurred,
      recordedAfter: late ? occurred + hours(24 * 10, 24 * 120) : occurred,
      ...(code === 'financing_granted' || code === 'subsidy_granted' || code === 'loan_or_guarantee' ? { amountCents: 100_000 + Math.floor(random() * 50_000_000) } : {}),
      ...(random() < 0.5 ? { jobsRetained: Math.floor(random() * 20) } : {}),
      ...(random() < 0.3 ? { jobsCreated: Math.floor(random() * 5) } : {}),
    };
  };
  const roll = random();
  if (roll < 0.08) return random() < 0.5 ? [{ type: 'overdue', after: t + 8 }] : [{ type: 'overdue', after: t + 8 }, { type: 'withdraw', after: t + 9 }];
  if (roll < 0.2) return [{ type: 'decline', after: t, reason: pick(MIX_REASONS) }];
  if (roll < 0.25) return [{ type: 'withdraw', after: t }];
  if (roll < 0.33 && depth < 2) {
    return [{ type: 'forward', after: t, to: { id: uuid(), partner: pick(MIX_PARTNERS), steps: randomSteps(random, depth + 1, uuid) } }];
  }
  const steps: Step[] = [];
  if (roll < 0.43) {
    steps.push({ type: 'request_information', after: t }, { type: 'provide_information', after: later(2, 72) });
    if (random() < 0.3) return [...steps, { type: 'decline', after: later(2, 72), reason: pick(MIX_REASONS) }];
    steps.push({ type: 'accept', after: later(2, 72) });
  } else {
    steps.push({ type: 'accept', after: t });
  }
  steps.push({ type: 'start', after: later(2, 96) });
  const outcomes = random() < 0.15 ? 0 : random() < 0.8 ? 1 : 2;
  for (let i = 0; i < outcomes; i++) {
    const recorded = outcome();
    steps.push(recorded);
    // Closing needs a recorded outcome: the first one, even when it was recorded late.
    if (i === 0 && recorded.type === 'outcome') t = Math.max(t, recorded.recordedAfter ?? recorded.after);
  }
  if (outcomes > 0 && random() < 0.8) steps.push({ type: 'close', after: later(1, 48) });
  // Stream order is the order things were recorded in.
  const recordedAt = (step: Step) => (step.type === 'outcome' ? (step.recordedAfter ?? step.after) : step.after);
  return steps.sort((a, b) => recordedAt(a) - recordedAt(b));
}

/** About `events` referral events (at least that many), in journeys; appended by `appendMix`. */
export function realisticMix(events: number, random: () => number): StreamEvents[][] {
  const uuid = () => seededUuid(random);
  const journeys: StreamEvents[][] = [];
  let total = 0;
  const start = Date.parse('2025-01-06T08:00:00Z');
  while (total < events) {
    const spec: ReferralSpec = {
      id: uuid(),
      city: MIX_CITIES[Math.floor(random() * MIX_CITIES.length)] as string,
      partner: MIX_PARTNERS[Math.floor(random() * MIX_PARTNERS.length)] as { id: string; kind: PartnerKind },
      need: MIX_NEEDS[Math.floor(random() * MIX_NEEDS.length)] as NeedCategory,
      kvk: String(10_000_000 + Math.floor(random() * 1_500)),
      sentAt: new Date(start + Math.floor(random() * 540 * DAY_MS)).toISOString(),
      steps: [],
      anonymousStatistics: random() > 0.1,
    };
    const streams = referralStreams({ ...spec, steps: randomSteps(random, 0, uuid) }, uuid);
    journeys.push(streams);
    total += streams.reduce((sum, s) => sum + s.events.length, 0);
  }
  return journeys;
}

/**
 * Appends journeys one event per append from `concurrency` writers. A journey's streams stay on one writer
 * (so a forward's new referral follows the forward); each writer interleaves its journeys' steps.
 * Returns the highest position appended.
 */
export async function appendMix(store: EventStore, journeys: readonly StreamEvents[][], random: () => number, concurrency = 8): Promise<Position> {
  const queues: { stream: string; event: NewEvent }[][] = Array.from({ length: concurrency }, () => []);
  journeys.forEach((journey, index) => {
    const queue = queues[index % concurrency] as { stream: string; event: NewEvent }[];
    // Interleave: insert this journey's steps at increasing random places among what the writer already has.
    let position = Math.floor(random() * (queue.length + 1));
    for (const { stream, events } of journey) {
      for (const event of events) {
        queue.splice(position, 0, { stream, event });
        position += 1 + Math.floor(random() * Math.max(1, (queue.length - position) / 4));
        position = Math.min(position, queue.length);
      }
    }
  });
  let last: Position | null = null;
  await Promise.all(
    queues.map(async (queue) => {
      for (const { stream, event } of queue) {
        const result = await store.append(stream, [event], { expectedRevision: 'any' });
        if (!last || comparePositions(result.position, last) > 0) last = result.position;
      }
    }),
  );
  if (!last) throw new Error('nothing appended');
  return last;
}

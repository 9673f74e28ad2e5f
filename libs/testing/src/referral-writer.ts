import { randomBytes, randomUUID } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSION,
  decideReferral,
  decideSubject,
  evolveReferral,
  evolveSubject,
  openForwardedReferral,
  SYSTEM_ACTOR,
  type CommandActor,
  type ConsentFacts,
  type DeclineReason,
  type DirectoryFacts,
  type DomainEvent,
  type ForwardReferral,
  type NeedCategory,
  type OutcomeCode,
  type Referral,
  type ReferralCommand,
  type ReferralEvent,
  type ReferralState,
  type SizeClass,
  type Subject,
  type SubjectEvent,
  type SubjectState,
} from '@koppelstuk/domain';
import type { EventStore, JsonObject } from '@koppelstuk/event-store';
import { DEMO_DIRECTORY, type DemoOrganisation } from '@koppelstuk/seed';

/** Turns a `personal` value into its stored (sealed) form. */
export type Sealer = (subjectId: string, value: object) => Promise<JsonObject>;

/** A sealed-looking envelope with random bytes: for projections and benchmarks that never decrypt. */
export const opaqueSealer: Sealer = async (subjectId) => ({
  alg: 'A256GCM',
  subjectId,
  keyId: randomUUID(),
  iv: randomBytes(12).toString('base64'),
  ciphertext: randomBytes(48).toString('base64'),
  tag: randomBytes(16).toString('base64'),
});

export interface MakeOptions {
  readonly cityId: string;
  readonly partnerId: string;
  readonly serviceId: string;
  readonly needCategory?: NeedCategory;
  readonly kvkNumber?: string;
  readonly businessName?: string;
  readonly sizeClass?: SizeClass;
  readonly contactName?: string;
  readonly needDescription?: string;
  readonly anonymousStatistics?: boolean;
  readonly at?: string;
  readonly referralId?: string;
  readonly subjectId?: string;
}

interface Cached<S> {
  state: S;
  revision: bigint | null;
}

/**
 * Writes referral histories into an event store through the real deciders, as the referrals subgraph
 * would (same events, same metadata, personal data sealed), without running the service. For tests of
 * read models and for benchmarks; the directory is the demo G40 directory unless another is given.
 */
export class ReferralWriter {
  private readonly referrals = new Map<string, Cached<ReferralState>>();
  private readonly subjects = new Map<string, Cached<SubjectState>>();
  readonly eventsWritten = { count: 0 };

  constructor(
    private readonly store: EventStore,
    private readonly seal: Sealer = opaqueSealer,
    private readonly directory: readonly DemoOrganisation[] = DEMO_DIRECTORY,
  ) {}

  async make(options: MakeOptions): Promise<{ referralId: string; subjectId: string; consentId: string }> {
    const at = options.at ?? new Date().toISOString();
    const referralId = options.referralId ?? randomUUID();
    const subjectId = options.subjectId ?? randomUUID();
    const service = this.service(options.partnerId, options.serviceId);
    const officer = cityOfficer(options.cityId);
    const contactName = options.contactName ?? 'Sanne Jansen';
    const consent = await this.giveConsent(subjectId, options.cityId, options.partnerId, at, contactName, options.anonymousStatistics ?? true);
    await this.decideAndAppend(referralId, {
      type: 'MakeReferral',
      actor: officer,
      at,
      referralId,
      cityId: options.cityId,
      partnerId: options.partnerId,
      serviceId: options.serviceId,
      needCategory: options.needCategory ?? (service.needCategories[0] as NeedCategory),
      entrepreneur: {
        kvkNumber: options.kvkNumber ?? String(10_000_000 + Math.floor(Math.random() * 89_999_999)),
        businessName: options.businessName ?? 'Bakkerij Jansen',
        sbiCode: '1071',
        sizeClass: options.sizeClass ?? 'micro',
      },
      personal: {
        contactName,
        contactEmail: 'sanne@bakkerij-jansen.nl',
        contactPhone: null,
        needDescription: options.needDescription ?? 'Financiering voor een nieuwe oven',
      },
      consent,
      directory: this.facts(options.cityId, options.partnerId, options.serviceId),
    });
    return { referralId, subjectId, consentId: consent.consentId };
  }

  accept = (referralId: string, at?: string) => this.partnerStep(referralId, at, { type: 'AcceptReferral' });
  startWork = (referralId: string, at?: string) => this.partnerStep(referralId, at, { type: 'StartWork' });
  close = (referralId: string, at?: string) => this.partnerStep(referralId, at, { type: 'CloseReferral' });
  decline = (referralId: string, reason: DeclineReason, at?: string) =>
    this.partnerStep(referralId, at, { type: 'DeclineReferral', reason, text: reason === 'other' ? 'Past niet bij ons aanbod' : null });
  requestInformation = (referralId: string, at?: string) =>
    this.partnerStep(referralId, at, { type: 'RequestInformation', question: 'Kunt u de jaarcijfers sturen?' });

  async provideInformation(referralId: string, at?: string): Promise<void> {
    const state = await this.referral(referralId);
    await this.decideAndAppend(referralId, { type: 'ProvideInformation', actor: cityOfficer(state.cityId), at: at ?? now(), answer: 'De jaarcijfers zijn gemaild.' });
  }

  async withdraw(referralId: string, at?: string): Promise<void> {
    const state = await this.referral(referralId);
    await this.decideAndAppend(referralId, { type: 'WithdrawReferral', actor: cityOfficer(state.cityId), at: at ?? now(), reason: 'Ondernemer heeft zelf een oplossing gevonden' });
  }

  async recordOutcome(
    referralId: string,
    outcome: { code: OutcomeCode; amountCents?: number | null; occurredAt: string; jobsRetained?: number | null; jobsCreated?: number | null },
    at?: string,
  ): Promise<void> {
    await this.partnerStep(referralId, at, {
      type: 'RecordOutcome',
      outcomeId: randomUUID(),
      code: outcome.code,
      amountCents: outcome.amountCents ?? null,
      occurredAt: outcome.occurredAt,
      jobsRetained: outcome.jobsRetained ?? null,
      jobsCreated: outcome.jobsCreated ?? null,
      note: null,
    });
  }

  async markOverdue(referralId: string, at: string): Promise<void> {
    await this.decideAndAppend(referralId, { type: 'MarkOverdue', actor: SYSTEM_ACTOR, at });
  }

  /** Forwards to another partner's service; records the entrepreneur's consent for that partner first. */
  async forward(referralId: string, toPartnerId: string, toServiceId: string, at?: string): Promise<string> {
    const when = at ?? now();
    const state = await this.referral(referralId);
    const consent = await this.giveConsent(state.subjectId, state.cityId, toPartnerId, when, 'Sanne Jansen', state.consent.anonymousStatistics);
    const command: ForwardReferral = {
      type: 'ForwardReferral',
      actor: partnerAgent(state.partnerId),
      at: when,
      toReferralId: randomUUID(),
      toPartnerId,
      toServiceId,
      reason: null,
      directory: this.facts(state.cityId, toPartnerId, toServiceId),
      consent,
    };
    await this.decideAndAppend(referralId, command);
    const made = openForwardedReferral(state, command, { contactName: 'Sanne Jansen', contactEmail: 'sanne@bakkerij-jansen.nl', contactPhone: null, needDescription: 'Doorgestuurd' });
    await this.append(made.data.referralId, [made], null, partnerAgent(state.partnerId), state.subjectId);
    this.referrals.set(made.data.referralId, { state: evolveReferral(null, made), revision: 0n });
    return command.toReferralId;
  }

  /** Erases the person: their key first (as the service does), then the SubjectErased event. */
  async erase(subjectId: string, keys: { erase(subjectId: string): Promise<void> }, cityId: string, at?: string): Promise<void> {
    const cached = await this.load(this.subjects, subjectId, `subject-${subjectId}`, evolveSubject as (s: SubjectState, e: DomainEvent) => SubjectState);
    const decision = decideSubject(cached.state, { type: 'EraseSubject', actor: cityOfficer(cityId), at: at ?? now(), subjectId, reason: 'erasure_request' });
    if (!decision.ok) throw new Error(`erasure refused: ${decision.error.message}`);
    await keys.erase(subjectId);
    cached.revision = await this.append(`subject:${subjectId}`, decision.events, cached.revision, cityOfficer(cityId), subjectId);
    cached.state = decision.events.reduce(evolveSubject, cached.state);
  }

  /** The partners whose active services cover a city (for generators). */
  servicesFor(municipalityCode: string): { partnerId: string; serviceId: string; needCategories: readonly NeedCategory[] }[] {
    return this.directory.flatMap((organisation) =>
      organisation.services
        .filter((s) => s.municipalities.length === 0 || s.municipalities.includes(municipalityCode))
        .map((s) => ({ partnerId: organisation.id, serviceId: s.id, needCategories: s.needCategories })),
    );
  }

  async referral(referralId: string): Promise<Referral> {
    const cached = await this.load(this.referrals, referralId, `referral-${referralId}`, evolveReferral as (s: ReferralState, e: DomainEvent) => ReferralState);
    if (!cached.state) throw new Error(`No referral ${referralId}`);
    return cached.state;
  }

  private async partnerStep(referralId: string, at: string | undefined, fields: Record<string, unknown>): Promise<void> {
    const state = await this.referral(referralId);
    await this.decideAndAppend(referralId, { ...fields, actor: partnerAgent(state.partnerId), at: at ?? now() } as ReferralCommand);
  }

  private async decideAndAppend(referralId: string, command: ReferralCommand): Promise<void> {
    const cached = await this.load(this.referrals, referralId, `referral-${referralId}`, evolveReferral as (s: ReferralState, e: DomainEvent) => ReferralState);
    const decision = decideReferral(cached.state, command);
    if (!decision.ok) throw new Error(`${command.type} on ${referralId} refused: ${decision.error.message}`);
    if (decision.events.length === 0) return;
    const subjectId = cached.state?.subjectId ?? (decision.events[0] as Extract<ReferralEvent, { type: 'ReferralMade' }>).data.subjectId;
    cached.revision = await this.append(referralId, decision.events, cached.revision, command.actor, subjectId);
    cached.state = decision.events.reduce(evolveReferral, cached.state);
  }

  private async giveConsent(subjectId: string, cityId: string, partnerId: string, at: string, givenBy: string, anonymousStatistics: boolean): Promise<ConsentFacts> {
    const cached = await this.load(this.subjects, subjectId, `subject-${subjectId}`, evolveSubject as (s: SubjectState, e: DomainEvent) => SubjectState);
    const consentId = randomUUID();
    const decision = decideSubject(cached.state, {
      type: 'GiveConsent',
      actor: cityOfficer(cityId),
      at,
      subjectId,
      consentId,
      cityId,
      partnerId,
      purpose: 'Doorverwijzing naar een partner',
      givenBy,
      givenAt: at,
      expiresAt: new Date(Date.parse(at) + 2 * 365 * 86_400_000).toISOString(),
      anonymousStatistics,
    });
    if (!decision.ok) throw new Error(`consent refused: ${decision.error.message}`);
    cached.revision = await this.append(`subject:${subjectId}`, decision.events, cached.revision, cityOfficer(cityId), subjectId);
    cached.state = decision.events.reduce(evolveSubject, cached.state) as Subject;
    const consent = (cached.state as Subject).consents.find((c) => c.consentId === consentId);
    return {
      consentId,
      subjectId,
      partnerId,
      purpose: consent?.purpose ?? '',
      expiresAt: consent?.expiresAt ?? '',
      anonymousStatistics,
      withdrawn: false,
      subjectErased: false,
    };
  }

  private async append(key: string, events: readonly DomainEvent[], revision: bigint | null, actor: CommandActor, subjectId: string): Promise<bigint> {
    const stream = key.startsWith('subject:') ? `subject-${key.slice('subject:'.length)}` : `referral-${key}`;
    const correlationId = randomUUID();
    const stored = await Promise.all(
      events.map(async (event) => {
        const data = event.data as unknown as Record<string, unknown>;
        const personal = data['personal'];
        const sealed = personal ? { ...data, personal: await this.seal(subjectId, personal as object) } : data;
        return {
          id: randomUUID(),
          type: event.type,
          data: sealed as JsonObject,
          metadata: {
            correlationId,
            causationId: null,
            actor: { userId: actor.userId, organisationId: actor.organisationId, roles: [...actor.roles] },
            schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
            commandType: 'ReferralWriter',
          },
        };
      }),
    );
    const result = await this.store.append(stream, stored, { expectedRevision: revision === null ? 'no_stream' : revision });
    this.eventsWritten.count += stored.length;
    return result.nextExpectedRevision;
  }

  private async load<S>(cache: Map<string, Cached<S>>, id: string, stream: string, evolve: (state: S, event: DomainEvent) => S): Promise<Cached<S>> {
    let cached = cache.get(id);
    if (!cached) {
      cached = { state: null as S, revision: null };
      for await (const recorded of this.store.readStream(stream)) {
        cached.state = evolve(cached.state, { type: recorded.type, data: recorded.data } as unknown as DomainEvent);
        cached.revision = recorded.revision;
      }
      cache.set(id, cached);
    }
    return cached;
  }

  private service(partnerId: string, serviceId: string) {
    const service = this.directory.find((o) => o.id === partnerId)?.services.find((s) => s.id === serviceId);
    if (!service) throw new Error(`The directory has no service ${serviceId} of ${partnerId}`);
    return service;
  }

  private facts(cityId: string, partnerId: string, serviceId: string): DirectoryFacts {
    const city = this.directory.find((o) => o.id === cityId);
    const partner = this.directory.find((o) => o.id === partnerId);
    const service = partner?.services.find((s) => s.id === serviceId);
    return {
      city: city ? { id: city.id, kind: city.kind, municipalityCode: city.municipalityCode } : null,
      partner: partner ? { id: partner.id, kind: partner.kind, active: true } : null,
      service: service
        ? { id: service.id, partnerId, active: true, needCategories: service.needCategories, municipalities: service.municipalities, slaWorkingDays: service.slaWorkingDays }
        : null,
    };
  }
}

export const cityOfficer = (cityId: string): CommandActor => ({ userId: `${cityId}.officer`, organisationId: cityId, roles: ['city_officer'] });
export const partnerAgent = (partnerId: string): CommandActor => ({ userId: `${partnerId}.agent`, organisationId: partnerId, roles: ['partner_agent'] });
const now = () => new Date().toISOString();

export type { SubjectEvent };

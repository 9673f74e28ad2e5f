import { Inject, Injectable } from '@nestjs/common';
import {
  canSeeReferral,
  evolveReferral,
  evolveSubject,
  personalDataView,
  referralStream,
  subjectStream,
  type PersonalDataView,
  type Referral,
  type ReferralEvent,
  type ReferralState,
  type Subject,
  type SubjectEvent,
  type SubjectState,
} from '@koppelstuk/domain';
import type { Principal } from '@koppelstuk/auth';
import type { EventStore, RecordedEvent } from '@koppelstuk/event-store';
import { AccessRecorder, isSealed, PersonalDataCipher, type AccessPurpose, type OpenedPersonalData } from '@koppelstuk/personal-data';
import { EVENT_STORE, loadStream, type RequestContext } from '@koppelstuk/service-kit';

/** A referral as one reader may see it. Personal data stays sealed until a field asks for it. */
export interface ReferralView {
  readonly referral: Referral;
  readonly version: number;
  readonly events: readonly RecordedEvent[];
  readonly subject: Subject | null;
  readonly personalData: PersonalDataView;
  /** Decrypted personal data per event id, filled on first use. */
  opened?: Promise<Map<string, OpenedPersonalData<Record<string, unknown>>>>;
}

@Injectable()
export class ReferralReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
    private readonly recorder: AccessRecorder,
  ) {}

  /** The referral if it exists and this principal may see it; otherwise null (never a hint that it exists). */
  async load(referralId: string, principal: Principal): Promise<ReferralView | null> {
    if (!/^[0-9a-f-]{36}$/i.test(referralId)) return null;
    const { state, version, events } = await loadStream<ReferralState, ReferralEvent>(this.store, {
      stream: referralStream(referralId),
      initial: null,
      evolve: evolveReferral,
    });
    if (state === null || version === null || !canSeeReferral(principal, state)) return null;
    const subject = await this.loadSubject(state.subjectId);
    return {
      referral: state,
      version,
      events,
      subject,
      personalData: personalDataView(principal, { cityId: state.cityId, partnerId: state.partnerId, consentId: state.consent.consentId }, subject, new Date().toISOString()),
    };
  }

  async loadSubject(subjectId: string): Promise<Subject | null> {
    const { state } = await loadStream<SubjectState, SubjectEvent>(this.store, { stream: subjectStream(subjectId), initial: null, evolve: evolveSubject });
    return state;
  }

  /**
   * The decrypted personal data of one of the referral's events, when this reader may see it. Each read
   * is on record (who, whose data, which fields, why) before the data is returned.
   */
  async reveal(
    view: ReferralView,
    eventId: string,
    fields: readonly string[],
    context: RequestContext,
    purpose: AccessPurpose = 'referral_detail',
  ): Promise<Record<string, unknown> | null> {
    if (view.personalData !== 'visible') return null;
    view.opened ??= this.openAll(view);
    const opened = (await view.opened).get(eventId);
    if (!opened || opened.erased) return null;
    await this.recorder.record({
      userId: context.principal.userId,
      organisationId: context.principal.organisationId,
      roles: context.principal.roles,
      subjectId: view.referral.subjectId,
      referralId: view.referral.referralId,
      fields,
      purpose,
      service: 'referrals',
      correlationId: context.correlationId,
    });
    return opened.value;
  }

  private async openAll(view: ReferralView): Promise<Map<string, OpenedPersonalData<Record<string, unknown>>>> {
    const sealedEvents = view.events.filter((event) => isSealed(event.data['personal']));
    const opened = await this.cipher.openMany<Record<string, unknown>>(sealedEvents.map((event) => event.data['personal'] as never));
    return new Map(sealedEvents.map((event, index) => [event.id, opened[index] as OpenedPersonalData<Record<string, unknown>>]));
  }
}

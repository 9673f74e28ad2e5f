import type { NeedCategory, OutcomeCode, PartnerKind, ReferralStatus } from '../shared/vocabulary';
import type { ConsentSnapshot, Entrepreneur, ReferralEvent } from './referral-events';
import { unreachable } from '../shared/result';

export interface RecordedOutcome {
  readonly outcomeId: string;
  readonly code: OutcomeCode;
  readonly amountCents: number | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

/** What decisions need to know of a referral. Personal data is deliberately not part of it. */
export interface Referral {
  readonly referralId: string;
  readonly journeyRootId: string;
  readonly forwardedFromReferralId: string | null;
  readonly forwardedToReferralId: string | null;
  readonly status: ReferralStatus;
  /** The status to return to when the information a partner asked for arrives. */
  readonly statusBeforeHold: 'sent' | 'accepted' | null;
  readonly cityId: string;
  readonly partnerId: string;
  readonly partnerKind: PartnerKind;
  readonly serviceId: string;
  readonly needCategory: NeedCategory;
  readonly entrepreneur: Entrepreneur;
  readonly subjectId: string;
  readonly consent: ConsentSnapshot;
  readonly slaDueAt: string;
  readonly overdue: boolean;
  readonly sentAt: string;
  /** When the partner first answered (accepted, declined, asked for information or forwarded). */
  readonly firstResponseAt: string | null;
  readonly outcomes: readonly RecordedOutcome[];
}

/** Null until the referral is made. */
export type ReferralState = Referral | null;

export const initialReferralState: ReferralState = null;

export function evolveReferral(state: ReferralState, event: ReferralEvent): ReferralState {
  if (event.type === 'ReferralMade') {
    const d = event.data;
    return {
      referralId: d.referralId,
      journeyRootId: d.journeyRootId,
      forwardedFromReferralId: d.forwardedFromReferralId,
      forwardedToReferralId: null,
      status: 'sent',
      statusBeforeHold: null,
      cityId: d.cityId,
      partnerId: d.partnerId,
      partnerKind: d.partnerKind,
      serviceId: d.serviceId,
      needCategory: d.needCategory,
      entrepreneur: d.entrepreneur,
      subjectId: d.subjectId,
      consent: d.consent,
      slaDueAt: d.slaDueAt,
      overdue: false,
      sentAt: d.sentAt,
      firstResponseAt: null,
      outcomes: [],
    };
  }
  if (state === null) return state; // events of a stream always start with ReferralMade
  switch (event.type) {
    case 'ReferralAccepted':
      return { ...state, status: 'accepted', firstResponseAt: state.firstResponseAt ?? event.data.acceptedAt };
    case 'ReferralDeclined':
      return { ...state, status: 'declined', firstResponseAt: state.firstResponseAt ?? event.data.declinedAt };
    case 'InformationRequested':
      return {
        ...state,
        status: 'on_hold',
        statusBeforeHold: state.status === 'accepted' ? 'accepted' : 'sent',
        firstResponseAt: state.firstResponseAt ?? event.data.requestedAt,
      };
    case 'InformationProvided':
      return { ...state, status: state.statusBeforeHold ?? 'sent', statusBeforeHold: null };
    case 'WorkStarted':
      return { ...state, status: 'in_progress' };
    case 'ReferralForwarded':
      return {
        ...state,
        status: 'forwarded',
        forwardedToReferralId: event.data.toReferralId,
        firstResponseAt: state.firstResponseAt ?? event.data.forwardedAt,
      };
    case 'ReferralWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'OutcomeRecorded': {
      const d = event.data;
      const outcome = { outcomeId: d.outcomeId, code: d.code, amountCents: d.amountCents, occurredAt: d.occurredAt, recordedAt: d.recordedAt };
      // Recording an outcome means work is under way; a late outcome leaves a completed referral completed.
      return { ...state, status: state.status === 'accepted' ? 'in_progress' : state.status, outcomes: [...state.outcomes, outcome] };
    }
    case 'ReferralClosed':
      return { ...state, status: 'completed' };
    case 'ReferralOverdue':
      return { ...state, overdue: true };
    default:
      return unreachable(event);
  }
}

export const foldReferral = (events: readonly ReferralEvent[], state: ReferralState = initialReferralState): ReferralState =>
  events.reduce(evolveReferral, state);

import type { DeclineReason, NeedCategory, OutcomeCode, PartnerKind, SizeClass } from '../shared/vocabulary';

/**
 * Personal data (DESIGN.md §2): the contact person's details and every free text about the entrepreneur.
 * It only ever travels in an event's `personal` field; the write side encrypts that field with the data
 * subject's key before the event is stored, so the log holds ciphertext only.
 */
export interface ReferralPersonalData {
  readonly contactName: string;
  readonly contactEmail: string | null;
  readonly contactPhone: string | null;
  /** The entrepreneur's need in the officer's words. */
  readonly needDescription: string;
}

/** Free text about the entrepreneur that a later step adds (a reason, a question, an answer, a note). */
export interface FreeText {
  readonly text: string;
}

export interface Entrepreneur {
  readonly kvkNumber: string;
  readonly businessName: string;
  readonly sbiCode: string | null;
  readonly sizeClass: SizeClass;
}

/** What the referral records of the consent it was made under (the consent itself lives in the subject stream). */
export interface ConsentSnapshot {
  readonly consentId: string;
  readonly purpose: string;
  readonly expiresAt: string;
  readonly anonymousStatistics: boolean;
}

export interface ReferralMade {
  readonly type: 'ReferralMade';
  readonly data: {
    readonly referralId: string;
    /** The first referral of the entrepreneur's journey; equal to referralId unless forwarded. */
    readonly journeyRootId: string;
    readonly forwardedFromReferralId: string | null;
    readonly cityId: string;
    readonly partnerId: string;
    readonly partnerKind: PartnerKind;
    readonly serviceId: string;
    readonly needCategory: NeedCategory;
    readonly entrepreneur: Entrepreneur;
    readonly subjectId: string;
    readonly consent: ConsentSnapshot;
    readonly slaWorkingDays: number;
    readonly slaDueAt: string;
    readonly sentAt: string;
    readonly personal: ReferralPersonalData;
  };
}

export interface ReferralAccepted {
  readonly type: 'ReferralAccepted';
  readonly data: { readonly referralId: string; readonly acceptedAt: string };
}

export interface ReferralDeclined {
  readonly type: 'ReferralDeclined';
  readonly data: {
    readonly referralId: string;
    readonly reason: DeclineReason;
    readonly declinedAt: string;
    /** Required with reason `other`. */
    readonly personal: FreeText | null;
  };
}

/**
 * Texts about the entrepreneur are required when a step is taken; once the person's data is erased there
 * is no key to seal them with, so the step is recorded without its text (personal: null).
 */
export interface InformationRequested {
  readonly type: 'InformationRequested';
  readonly data: { readonly referralId: string; readonly requestedAt: string; readonly personal: FreeText | null };
}

export interface InformationProvided {
  readonly type: 'InformationProvided';
  readonly data: { readonly referralId: string; readonly providedAt: string; readonly personal: FreeText | null };
}

export interface WorkStarted {
  readonly type: 'WorkStarted';
  readonly data: { readonly referralId: string; readonly startedAt: string };
}

export interface ReferralForwarded {
  readonly type: 'ReferralForwarded';
  readonly data: {
    readonly referralId: string;
    readonly toReferralId: string;
    readonly toPartnerId: string;
    readonly toServiceId: string;
    readonly forwardedAt: string;
    readonly personal: FreeText | null;
  };
}

export interface ReferralWithdrawn {
  readonly type: 'ReferralWithdrawn';
  readonly data: { readonly referralId: string; readonly withdrawnAt: string; readonly personal: FreeText | null };
}

export interface OutcomeRecorded {
  readonly type: 'OutcomeRecorded';
  readonly data: {
    readonly referralId: string;
    readonly outcomeId: string;
    readonly code: OutcomeCode;
    /** Euro cents, for financing_granted, subsidy_granted and loan_or_guarantee only. */
    readonly amountCents: number | null;
    /** When it happened (e.g. the loan was approved); may be long before it was recorded. */
    readonly occurredAt: string;
    readonly recordedAt: string;
    /** Impact figures for the programme's "Brede Welvaart" reporting. */
    readonly jobsRetained: number | null;
    readonly jobsCreated: number | null;
    readonly personal: FreeText | null;
  };
}

export interface ReferralClosed {
  readonly type: 'ReferralClosed';
  readonly data: { readonly referralId: string; readonly closedAt: string };
}

/** The SLA deadline passed while the referral was still unanswered. A flag, not a status. */
export interface ReferralOverdue {
  readonly type: 'ReferralOverdue';
  readonly data: { readonly referralId: string; readonly slaDueAt: string; readonly detectedAt: string };
}

export type ReferralEvent =
  | ReferralMade
  | ReferralAccepted
  | ReferralDeclined
  | InformationRequested
  | InformationProvided
  | WorkStarted
  | ReferralForwarded
  | ReferralWithdrawn
  | OutcomeRecorded
  | ReferralClosed
  | ReferralOverdue;

export type ReferralEventType = ReferralEvent['type'];

export const REFERRAL_EVENT_TYPES: readonly ReferralEventType[] = [
  'ReferralMade',
  'ReferralAccepted',
  'ReferralDeclined',
  'InformationRequested',
  'InformationProvided',
  'WorkStarted',
  'ReferralForwarded',
  'ReferralWithdrawn',
  'OutcomeRecorded',
  'ReferralClosed',
  'ReferralOverdue',
];

export const referralStream = (referralId: string): string => `referral-${referralId}`;

import type { CommandActor } from '../shared/actor';
import type { DeclineReason, NeedCategory, OrganisationKind, OutcomeCode, PartnerKind } from '../shared/vocabulary';
import type { Entrepreneur, ReferralPersonalData } from './referral-events';

/**
 * What the directory says about the organisations and service a referral involves, looked up by the
 * command handler from the organisations' streams so that the decision itself stays pure.
 */
export interface DirectoryFacts {
  readonly city: { readonly id: string; readonly kind: OrganisationKind; readonly municipalityCode: string | null } | null;
  readonly partner: { readonly id: string; readonly kind: OrganisationKind; readonly active: boolean } | null;
  readonly service: {
    readonly id: string;
    readonly partnerId: string;
    readonly active: boolean;
    readonly needCategories: readonly NeedCategory[];
    readonly municipalities: readonly string[];
    readonly slaWorkingDays: number;
  } | null;
}

/** The consent a referral is made under, as the subject stream holds it. */
export interface ConsentFacts {
  readonly consentId: string;
  readonly subjectId: string;
  readonly partnerId: string;
  readonly purpose: string;
  readonly expiresAt: string;
  readonly anonymousStatistics: boolean;
  readonly withdrawn: boolean;
  readonly subjectErased: boolean;
}

interface Base {
  readonly actor: CommandActor;
  /** The clock, read by the handler. ISO instant. */
  readonly at: string;
}

export interface MakeReferral extends Base {
  readonly type: 'MakeReferral';
  readonly referralId: string;
  readonly cityId: string;
  readonly partnerId: string;
  readonly serviceId: string;
  readonly needCategory: NeedCategory;
  readonly entrepreneur: Entrepreneur;
  readonly personal: ReferralPersonalData;
  /** Null when no consent was recorded: the command is then refused. */
  readonly consent: ConsentFacts | null;
  readonly directory: DirectoryFacts;
}

export interface AcceptReferral extends Base {
  readonly type: 'AcceptReferral';
}

export interface DeclineReferral extends Base {
  readonly type: 'DeclineReferral';
  readonly reason: DeclineReason;
  readonly text: string | null;
}

export interface RequestInformation extends Base {
  readonly type: 'RequestInformation';
  readonly question: string;
}

export interface ProvideInformation extends Base {
  readonly type: 'ProvideInformation';
  readonly answer: string;
}

export interface StartWork extends Base {
  readonly type: 'StartWork';
}

export interface ForwardReferral extends Base {
  readonly type: 'ForwardReferral';
  readonly toReferralId: string;
  readonly toPartnerId: string;
  readonly toServiceId: string;
  readonly reason: string | null;
  readonly directory: DirectoryFacts;
  /**
   * The entrepreneur's consent for the partner forwarded to. Personal data only ever goes to a partner the
   * entrepreneur agreed to, so without one the forward is refused (the city can record it first).
   */
  readonly consent: ConsentFacts | null;
}

export interface WithdrawReferral extends Base {
  readonly type: 'WithdrawReferral';
  readonly reason: string;
}

export interface RecordOutcome extends Base {
  readonly type: 'RecordOutcome';
  readonly outcomeId: string;
  readonly code: OutcomeCode;
  readonly amountCents: number | null;
  readonly occurredAt: string;
  readonly jobsRetained: number | null;
  readonly jobsCreated: number | null;
  readonly note: string | null;
}

export interface CloseReferral extends Base {
  readonly type: 'CloseReferral';
}

/** Issued by the deadline watcher (system actor) when a referral's SLA due time has passed. */
export interface MarkOverdue extends Base {
  readonly type: 'MarkOverdue';
}

export type ReferralCommand =
  | MakeReferral
  | AcceptReferral
  | DeclineReferral
  | RequestInformation
  | ProvideInformation
  | StartWork
  | ForwardReferral
  | WithdrawReferral
  | RecordOutcome
  | CloseReferral
  | MarkOverdue;

export type ReferralCommandType = ReferralCommand['type'];

/** The partner kind of a directory organisation, when it is a partner. */
export const partnerKindOf = (kind: OrganisationKind): PartnerKind | null => (kind === 'city' ? null : kind);

/** The coded vocabularies of DESIGN.md §2. Stable values: they are stored in events. */
export const NEED_CATEGORIES = [
  'financing',
  'innovation',
  'sustainability',
  'digitalisation',
  'permits',
  'internationalisation',
  'restructuring',
  'labour_market',
  'location',
  'other',
] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];

export const PARTNER_KINDS = [
  'bank',
  'accountant',
  'rom',
  'province',
  'national_agency',
  'mkb_organisation',
  'knowledge_institution',
  'other',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export type OrganisationKind = 'city' | PartnerKind;

export const DECLINE_REASONS = [
  'no_capacity',
  'outside_service_area',
  'not_eligible',
  'missing_information',
  'better_fit_elsewhere',
  'entrepreneur_unreachable',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const OUTCOME_CODES = [
  'financing_granted',
  'subsidy_granted',
  'loan_or_guarantee',
  'advice_given',
  'coaching_started',
  'permit_granted',
  'no_fit',
  'entrepreneur_withdrew',
  'other',
] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];
/** Outcomes that mobilise money carry an amount in euro cents; the others must not. */
export const OUTCOMES_WITH_AMOUNT: readonly OutcomeCode[] = ['financing_granted', 'subsidy_granted', 'loan_or_guarantee'];

/** Company size by number of employees (CBS size classes, grouped). */
export const SIZE_CLASSES = ['solo', 'micro', 'small', 'medium', 'large'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

export const REFERRAL_STATUSES = [
  'sent',
  'accepted',
  'in_progress',
  'on_hold',
  'declined',
  'forwarded',
  'withdrawn',
  'completed',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** Statuses in which the referral still asks something of the city or the partner. */
export const OPEN_STATUSES: readonly ReferralStatus[] = ['sent', 'accepted', 'in_progress', 'on_hold'];

/** The languages of the portal and of mails: Dutch first. */
export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

import { hasRole, type CommandActor } from '../shared/actor';
import { isConsentValid, validConsentFor, type Subject } from './subject-state';

/**
 * What a reader may see of a referral's personal data (DESIGN.md §3):
 * - `visible`: decrypted — for the referring city's officers while the consent the referral was made
 *   under is valid, and for the addressed partner's agents while a valid consent covers that partner;
 * - `no_consent`: one of those two, but the consent expired or was withdrawn;
 * - `masked`: auditors and admins, who see that there is personal data but never what it is;
 * - `erased`: the subject's key was deleted; nobody can read it any more.
 */
export type PersonalDataView = 'visible' | 'no_consent' | 'masked' | 'erased';

export interface ReferralPrivacy {
  readonly cityId: string;
  readonly partnerId: string;
  readonly consentId: string;
}

export function personalDataView(actor: CommandActor, referral: ReferralPrivacy, subject: Subject | null, at: string): PersonalDataView {
  if (subject?.erasedAt) return 'erased';
  if (hasRole(actor, 'city_officer') && actor.organisationId === referral.cityId) {
    return subject && isConsentValid(subject, referral.consentId, at) ? 'visible' : 'no_consent';
  }
  if (hasRole(actor, 'partner_agent') && actor.organisationId === referral.partnerId) {
    return subject && validConsentFor(subject, referral.partnerId, at) ? 'visible' : 'no_consent';
  }
  return 'masked';
}

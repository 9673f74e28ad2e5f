import { hasRole } from '../shared/actor';
import { accept, refuse, unreachable, type Decision } from '../shared/result';
import { instantMs, isBlank, isIsoInstant, isOrganisationId, isUuid } from '../shared/validation';
import type { SubjectCommand } from './subject-commands';
import type { SubjectEvent } from './subject-events';
import type { SubjectState } from './subject-state';

const NOT_FOUND = 'No such person is known, or their data is not visible to you';

/**
 * Consent and erasure. Consent is recorded by the city officer who hears it; erasure (consent withdrawn,
 * or a request under the GDPR) is for an officer of a city that recorded consent, or an admin.
 */
export function decideSubject(state: SubjectState, command: SubjectCommand): Decision<SubjectEvent> {
  if (!isIsoInstant(command.at)) return refuse('BAD_USER_INPUT', 'The command time must be an ISO instant', 'at');
  if (!isUuid(command.subjectId)) return refuse('BAD_USER_INPUT', 'The subject id must be a UUID', 'subjectId');
  const { actor, subjectId, at } = command;
  const cityOfficerHere = hasRole(actor, 'city_officer') && !!state?.consents.some((c) => c.cityId === actor.organisationId);

  switch (command.type) {
    case 'GiveConsent': {
      if (!(hasRole(actor, 'city_officer') && actor.organisationId === command.cityId)) {
        return refuse('FORBIDDEN', 'Only an officer of the city can record consent on its behalf');
      }
      if (state !== null && !cityOfficerHere) return refuse('NOT_FOUND', NOT_FOUND);
      if (state?.erasedAt) return refuse('INVALID_TRANSITION', "This person's data has been erased; record a new contact");
      if (!isUuid(command.consentId)) return refuse('BAD_USER_INPUT', 'The consent id must be a UUID', 'consentId');
      if (state?.consents.some((c) => c.consentId === command.consentId)) {
        return refuse('INVALID_TRANSITION', 'This consent has already been recorded');
      }
      if (!isOrganisationId(command.partnerId)) return refuse('BAD_USER_INPUT', 'Unknown partner', 'partnerId');
      if (isBlank(command.purpose) || command.purpose.length > 500) return refuse('BAD_USER_INPUT', 'State the purpose', 'purpose');
      if (isBlank(command.givenBy) || command.givenBy.length > 200) {
        return refuse('BAD_USER_INPUT', 'Say who gave the consent', 'givenBy');
      }
      if (!isIsoInstant(command.givenAt) || instantMs(command.givenAt) > instantMs(at)) {
        return refuse('BAD_USER_INPUT', 'Consent must have been given already', 'givenAt');
      }
      if (!isIsoInstant(command.expiresAt) || instantMs(command.expiresAt) <= instantMs(at)) {
        return refuse('BAD_USER_INPUT', 'The consent must expire in the future', 'expiresAt');
      }
      return accept({
        type: 'ConsentGiven',
        data: {
          subjectId,
          consentId: command.consentId,
          cityId: command.cityId,
          partnerId: command.partnerId,
          purpose: command.purpose.trim(),
          givenAt: command.givenAt,
          expiresAt: command.expiresAt,
          anonymousStatistics: command.anonymousStatistics,
          personal: { givenBy: command.givenBy.trim() },
        },
      });
    }
    case 'WithdrawConsent': {
      if (state === null || !(cityOfficerHere || hasRole(actor, 'admin'))) return refuse('NOT_FOUND', NOT_FOUND);
      const consent = state.consents.find((c) => c.consentId === command.consentId);
      if (!consent) return refuse('NOT_FOUND', 'No such consent');
      if (consent.withdrawnAt) return refuse('INVALID_TRANSITION', 'The consent was already withdrawn');
      return accept({ type: 'ConsentWithdrawn', data: { subjectId, consentId: command.consentId, withdrawnAt: at } });
    }
    case 'EraseSubject': {
      if (state === null || !(cityOfficerHere || hasRole(actor, 'admin'))) return refuse('NOT_FOUND', NOT_FOUND);
      if (state.erasedAt) return refuse('INVALID_TRANSITION', "This person's data has already been erased");
      if (command.reason !== 'consent_withdrawn' && command.reason !== 'erasure_request') {
        return refuse('BAD_USER_INPUT', 'The reason is consent_withdrawn or erasure_request', 'reason');
      }
      return accept({ type: 'SubjectErased', data: { subjectId, reason: command.reason, erasedAt: at } });
    }
    default:
      return unreachable(command);
  }
}

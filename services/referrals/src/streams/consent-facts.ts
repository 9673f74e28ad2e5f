import { validConsentFor, type ConsentFacts, type Subject } from '@koppelstuk/domain';

/** The consent (if any) that lets a partner receive the person's data at a given moment. */
export function consentFactsFor(subject: Subject | null, partnerId: string, at: string): ConsentFacts | null {
  if (!subject) return null;
  const consent = validConsentFor(subject, partnerId, at) ?? subject.consents.find((c) => c.partnerId === partnerId) ?? null;
  if (!consent) return subject.erasedAt ? erasedFacts(subject, partnerId) : null;
  return {
    consentId: consent.consentId,
    subjectId: subject.subjectId,
    partnerId: consent.partnerId,
    purpose: consent.purpose,
    expiresAt: consent.expiresAt,
    anonymousStatistics: consent.anonymousStatistics,
    withdrawn: consent.withdrawnAt !== null,
    subjectErased: subject.erasedAt !== null,
  };
}

function erasedFacts(subject: Subject, partnerId: string): ConsentFacts {
  return { consentId: '', subjectId: subject.subjectId, partnerId, purpose: '', expiresAt: '', anonymousStatistics: false, withdrawn: false, subjectErased: true };
}

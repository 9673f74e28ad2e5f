import { unreachable } from '../shared/result';
import { instantMs } from '../shared/validation';
import type { SubjectEvent } from './subject-events';

export interface Consent {
  readonly consentId: string;
  readonly cityId: string;
  readonly partnerId: string;
  readonly purpose: string;
  readonly givenAt: string;
  readonly expiresAt: string;
  readonly anonymousStatistics: boolean;
  readonly withdrawnAt: string | null;
}

export interface Subject {
  readonly subjectId: string;
  readonly consents: readonly Consent[];
  readonly erasedAt: string | null;
}

export type SubjectState = Subject | null;

export function evolveSubject(state: SubjectState, event: SubjectEvent): SubjectState {
  const subject: Subject = state ?? { subjectId: event.data.subjectId, consents: [], erasedAt: null };
  switch (event.type) {
    case 'ConsentGiven': {
      const { subjectId: _s, personal: _p, ...consent } = event.data;
      return { ...subject, consents: [...subject.consents, { ...consent, withdrawnAt: null }] };
    }
    case 'ConsentWithdrawn':
      return {
        ...subject,
        consents: subject.consents.map((c) => (c.consentId === event.data.consentId ? { ...c, withdrawnAt: event.data.withdrawnAt } : c)),
      };
    case 'SubjectErased':
      return { ...subject, erasedAt: event.data.erasedAt };
    default:
      return unreachable(event);
  }
}

export const foldSubject = (events: readonly SubjectEvent[]): SubjectState => events.reduce(evolveSubject, null as SubjectState);

/** A consent is valid at `at` when it was given, has not expired and was not withdrawn, and the subject is not erased. */
export function isConsentValid(subject: Subject, consentId: string, at: string): boolean {
  const consent = subject.consents.find((c) => c.consentId === consentId);
  const now = instantMs(at);
  return (
    !!consent &&
    subject.erasedAt === null &&
    consent.withdrawnAt === null &&
    instantMs(consent.givenAt) <= now &&
    now < instantMs(consent.expiresAt)
  );
}

/** The consent that lets this partner see the subject's data now, if any. */
export function validConsentFor(subject: Subject, partnerId: string, at: string): Consent | null {
  return subject.consents.find((c) => c.partnerId === partnerId && isConsentValid(subject, c.consentId, at)) ?? null;
}

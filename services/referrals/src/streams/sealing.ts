import type { DomainEvent } from '@koppelstuk/domain';
import type { JsonObject } from '@koppelstuk/event-store';
import { SubjectErasedError, type PersonalDataCipher } from '@koppelstuk/personal-data';
import { appError } from '@koppelstuk/service-kit';

/**
 * Stored form of decided events: each `personal` field is sealed with the data subject's key. The
 * plaintext never reaches the event store. Once the person is erased no key is ever made again, so a
 * later step (a withdrawal, a question, an answer) is recorded without its free text, where the event
 * allows that; a new referral or consent for an erased person is refused.
 */
const TEXT_DROPPED_AFTER_ERASURE = new Set([
  'ReferralDeclined',
  'InformationRequested',
  'InformationProvided',
  'ReferralForwarded',
  'ReferralWithdrawn',
  'OutcomeRecorded',
]);

export async function sealEvents(cipher: PersonalDataCipher, events: readonly DomainEvent[], subjectIdOf: (event: DomainEvent) => string | null): Promise<JsonObject[]> {
  return Promise.all(
    events.map(async (event) => {
      const data = event.data as unknown as Record<string, unknown>;
      const personal = data['personal'];
      if (personal === undefined || personal === null) return data as JsonObject;
      const subjectId = subjectIdOf(event);
      if (!subjectId) throw new Error(`No data subject known for the personal data of ${event.type}`);
      try {
        return { ...data, personal: await cipher.seal(subjectId, personal as object) } as unknown as JsonObject;
      } catch (error) {
        // No key is ever made again for an erased person: their free text cannot be recorded. Say so, typed.
        if (error instanceof SubjectErasedError) {
          if (TEXT_DROPPED_AFTER_ERASURE.has(event.type)) return { ...data, personal: null } as unknown as JsonObject;
          throw appError('INVALID_TRANSITION', "This person's data has been erased; text about them can no longer be recorded");
        }
        throw error;
      }
    }),
  );
}

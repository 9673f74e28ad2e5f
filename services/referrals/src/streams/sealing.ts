import type { DomainEvent } from '@koppelstuk/domain';
import type { JsonObject } from '@koppelstuk/event-store';
import type { PersonalDataCipher } from '@koppelstuk/personal-data';

/**
 * Stored form of decided events: each `personal` field is sealed with the data subject's key. The
 * plaintext never reaches the event store.
 */
export async function sealEvents(cipher: PersonalDataCipher, events: readonly DomainEvent[], subjectIdOf: (event: DomainEvent) => string | null): Promise<JsonObject[]> {
  return Promise.all(
    events.map(async (event) => {
      const data = event.data as unknown as Record<string, unknown>;
      const personal = data['personal'];
      if (personal === undefined || personal === null) return data as JsonObject;
      const subjectId = subjectIdOf(event);
      if (!subjectId) throw new Error(`No data subject known for the personal data of ${event.type}`);
      return { ...data, personal: await cipher.seal(subjectId, personal as object) } as unknown as JsonObject;
    }),
  );
}

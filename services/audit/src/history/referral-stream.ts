import {
  canSeeReferral,
  evolveReferral,
  evolveSubject,
  referralStream,
  subjectStream,
  upcast,
  type CommandActor,
  type Referral,
  type ReferralEvent,
  type ReferralState,
  type Subject,
  type SubjectEvent,
  type SubjectState,
} from '@koppelstuk/domain';
import type { EventStore, RecordedEvent } from '@koppelstuk/event-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const asDomainEvent = <Event>(recorded: RecordedEvent): Event =>
  ({ type: recorded.type, data: upcast(recorded.type, recorded.metadata.schemaVersion, recorded.data) }) as unknown as Event;

/** A referral's stream as read from the event store, and its state after `events`. */
export interface LoadedReferral {
  readonly state: Referral;
  readonly events: readonly RecordedEvent[];
}

/**
 * The referral's events (optionally only those recorded up to `recordedUpTo`), if it exists then and this
 * reader may see it (canSeeReferral on its current city and partner, which never change); otherwise null,
 * never a hint that it exists.
 */
export async function loadVisibleReferral(
  store: EventStore,
  referralId: string,
  reader: CommandActor,
  recordedUpTo: Date | null = null,
): Promise<LoadedReferral | null> {
  if (!UUID.test(referralId)) return null;
  const all: RecordedEvent[] = [];
  for await (const event of store.readStream(referralStream(referralId))) all.push(event);
  const current = all.reduce<ReferralState>((state, event) => evolveReferral(state, asDomainEvent<ReferralEvent>(event)), null);
  if (!current || !canSeeReferral(reader, current)) return null;
  const events = recordedUpTo ? all.filter((event) => event.recordedAt.getTime() <= recordedUpTo.getTime()) : all;
  const state = events.reduce<ReferralState>((folded, event) => evolveReferral(folded, asDomainEvent<ReferralEvent>(event)), null);
  return state ? { state, events } : null;
}

export async function loadSubject(store: EventStore, subjectId: string): Promise<Subject | null> {
  let state: SubjectState = null;
  for await (const event of store.readStream(subjectStream(subjectId))) state = evolveSubject(state, asDomainEvent<SubjectEvent>(event));
  return state;
}

import { ORGANISATION_EVENT_TYPES, type OrganisationEvent } from './directory/organisation-events';
import { REFERRAL_EVENT_TYPES, type ReferralEvent } from './referral/referral-events';
import { SUBJECT_EVENT_TYPES, type SubjectEvent } from './subject/subject-events';

/** Every domain event. Type names are stable contract names, stored in the log; never rename one. */
export type DomainEvent = ReferralEvent | OrganisationEvent | SubjectEvent;
export type DomainEventType = DomainEvent['type'];

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = [...REFERRAL_EVENT_TYPES, ...ORGANISATION_EVENT_TYPES, ...SUBJECT_EVENT_TYPES];

/** The schema version each event type is written with today (metadata.schemaVersion). */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<DomainEventType, number>> = Object.fromEntries(
  DOMAIN_EVENT_TYPES.map((type) => [type, 1]),
) as Record<DomainEventType, number>;

/**
 * Brings an event written with an older schema version up to the current one. Each entry maps
 * (type, from-version) to a pure function returning the next version's data; there are none yet because
 * every event is at version 1, but readers already call `upcast` so that adding one needs no other change.
 */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;
const UPCASTERS: Partial<Record<DomainEventType, Record<number, Upcaster>>> = {};

export function upcast(type: string, schemaVersion: number, data: Record<string, unknown>, upcasters = UPCASTERS): Record<string, unknown> {
  let version = schemaVersion;
  let current = data;
  const steps = upcasters[type as DomainEventType] ?? {};
  while (steps[version]) {
    current = (steps[version] as Upcaster)(current);
    version++;
  }
  return current;
}

export const isDomainEventType = (type: string): type is DomainEventType => (DOMAIN_EVENT_TYPES as readonly string[]).includes(type);

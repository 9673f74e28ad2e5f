import { personalDataView, type CommandActor, type PersonalDataView, type Referral, type Subject } from '@koppelstuk/domain';
import { formatPosition, type RecordedEvent } from '@koppelstuk/event-store';
import { isSealed } from '@koppelstuk/personal-data';
import { actorOf, type EventActor } from '../chain/chain-row';
import { canonicalJson } from '../chain/canonical-json';

/** The field holding an event's domain time: when it happened, as opposed to when it was recorded. */
const OCCURRED_AT: Readonly<Record<string, string>> = {
  ReferralMade: 'sentAt',
  ReferralAccepted: 'acceptedAt',
  ReferralDeclined: 'declinedAt',
  InformationRequested: 'requestedAt',
  InformationProvided: 'providedAt',
  WorkStarted: 'startedAt',
  ReferralForwarded: 'forwardedAt',
  ReferralWithdrawn: 'withdrawnAt',
  OutcomeRecorded: 'occurredAt',
  ReferralClosed: 'closedAt',
  ReferralOverdue: 'detectedAt',
};

/**
 * The fields inside an event's sealed `personal` value. Known from the event type, so that a reader who may
 * not see them still learns which fields there are (masked), never what they hold.
 */
const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ReferralMade: ['contactName', 'contactEmail', 'contactPhone', 'needDescription'],
};
const FREE_TEXT_FIELDS = ['text'];

export interface FieldChangeView {
  readonly field: string;
  readonly personal: boolean;
  /** JSON text of a plain field; null for personal fields until (and unless) they are revealed. */
  readonly value: string | null;
  /** For personal fields: the event and key inside its decrypted `personal` value. */
  readonly source: { readonly eventId: string; readonly key: string } | null;
}

export interface HistoryEntryView {
  readonly sequence: number | null;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: Date;
  readonly occurredAt: string | null;
  readonly actor: EventActor;
  readonly changes: readonly FieldChangeView[];
  readonly personalData: PersonalDataView;
}

/** What one reader may see of the personal data in this referral's history, decided once for all its events. */
export function historyView(reader: CommandActor, referral: Referral, subject: Subject | null, now: Date): PersonalDataView {
  return personalDataView(reader, { cityId: referral.cityId, partnerId: referral.partnerId, consentId: referral.consent.consentId }, subject, now.toISOString());
}

/** Every event of the stream with its changed fields, `personal` expanded into its (sealed) fields. */
export function historyEntries(events: readonly RecordedEvent[], sequences: ReadonlyMap<string, number>, view: PersonalDataView): HistoryEntryView[] {
  return events.map((event) => {
    const timeField = OCCURRED_AT[event.type];
    const occurred = timeField ? event.data[timeField] : undefined;
    return {
      sequence: sequences.get(event.id) ?? null,
      position: formatPosition(event.position),
      eventId: event.id,
      type: event.type,
      recordedAt: event.recordedAt,
      occurredAt: typeof occurred === 'string' ? occurred : null,
      actor: actorOf(event),
      changes: changesOf(event),
      personalData: view,
    };
  });
}

function changesOf(event: RecordedEvent): FieldChangeView[] {
  const changes: FieldChangeView[] = [];
  for (const [field, value] of Object.entries(event.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (field !== 'personal') {
      changes.push({ field, personal: false, value: canonicalJson(value), source: null });
    } else if (isSealed(value)) {
      for (const key of PERSONAL_FIELDS[event.type] ?? FREE_TEXT_FIELDS) {
        changes.push({ field: `personal.${key}`, personal: true, value: null, source: { eventId: event.id, key } });
      }
    } else if (value !== null) {
      // Personal data that is somehow not sealed is still personal data: never shown.
      changes.push({ field, personal: true, value: null, source: null });
    }
    // A `personal` of null: there was no personal data to record, so there is no field to show.
  }
  return changes;
}

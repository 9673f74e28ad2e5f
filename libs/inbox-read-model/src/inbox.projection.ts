import type { EntityManager } from 'typeorm';
import { REFERRAL_EVENT_TYPES, SUBJECT_EVENT_TYPES, upcast, type DomainEvent, type ReferralEvent, type SubjectEvent } from '@koppelstuk/domain';
import type { RecordedEvent } from '@koppelstuk/event-store';
import type { ProjectionDefinition } from '@koppelstuk/projections';
import { evolveInboxRow, INBOX_COLUMNS, type InboxRow } from './inbox-row';

/**
 * The partner inbox and city tracker. A batch is folded in memory per referral and written with one
 * read and one bulk upsert, whatever its size: that is what makes a rebuild of millions of events fast.
 * Rows carry the stream revision they reflect, so an event already applied (a retried batch) is skipped.
 */
export const inboxProjection: ProjectionDefinition = {
  name: 'inbox',
  schema: 'inbox',
  tables: ['referrals', 'consents', 'erasures'],
  filter: { streamPrefixes: ['referral-', 'subject-'], eventTypes: [...REFERRAL_EVENT_TYPES, ...SUBJECT_EVENT_TYPES] },
  async apply(events, { manager, schema }) {
    const referralEvents = events.filter((event) => event.stream.startsWith('referral-'));
    const subjectEvents = events.filter((event) => event.stream.startsWith('subject-')).map((event) => toDomainEvent<SubjectEvent>(event));
    const consents = consentRecords(subjectEvents.flatMap((event) => (event.type === 'ConsentGiven' ? [event] : [])));
    const referrals = referralEvents.length > 0 ? await changedReferralRows(manager, schema, referralEvents) : [];
    // New consents and changed referral rows in one statement (one round trip per batch); a withdrawal
    // below may need a consent of this batch, so the other subject events come after it.
    await writeRows(manager, schema, consents, referrals);
    for (const event of subjectEvents) if (event.type !== 'ConsentGiven') await applySubjectEvent(manager, schema, event);
  },
};

/** The rows this batch changes, each folded over all of its events in the batch (read once, written once). */
async function changedReferralRows(manager: EntityManager, schema: string, events: readonly RecordedEvent[]): Promise<InboxRow[]> {
  const ids = [...new Set(events.map((event) => (event.data as { referralId: string }).referralId))];
  const existing: InboxRow[] = await manager.query(`select ${INBOX_COLUMNS.join(', ')} from ${schema}.referrals where referral_id = any($1::uuid[])`, [ids]);
  const rows = new Map<string, InboxRow>(existing.map((row) => [row.referral_id, normalise(row)]));
  const changed = new Set<string>();
  for (const recorded of events) {
    const event = toDomainEvent<ReferralEvent>(recorded);
    const id = event.data.referralId;
    const next = evolveInboxRow(rows.get(id) ?? null, event, Number(recorded.revision));
    if (next && next !== rows.get(id)) {
      rows.set(id, next);
      changed.add(id);
    }
  }
  return [...changed].map((id) => rows.get(id) as InboxRow);
}

async function writeRows(manager: EntityManager, schema: string, consents: readonly ConsentRecord[], referrals: readonly InboxRow[]): Promise<void> {
  const insertConsents = (parameter: string) => `insert into ${schema}.consents (${CONSENT_COLUMNS})
     select * from jsonb_to_recordset(${parameter}::jsonb) as x(${CONSENT_RECORD})
     on conflict (consent_id) do nothing`;
  const upsertReferrals = (parameter: string) => `insert into ${schema}.referrals (${INBOX_COLUMNS.join(', ')})
     select ${INBOX_COLUMNS.join(', ')} from jsonb_to_recordset(${parameter}::jsonb) as x(${REFERRAL_RECORD})
     on conflict (referral_id) do update set ${REFERRAL_UPDATES}`;
  if (consents.length > 0 && referrals.length > 0) {
    await manager.query(`with consents as (${insertConsents('$1')}) ${upsertReferrals('$2')}`, [JSON.stringify(consents), JSON.stringify(referrals)]);
  } else if (consents.length > 0) {
    await manager.query(insertConsents('$1'), [JSON.stringify(consents)]);
  } else if (referrals.length > 0) {
    await manager.query(upsertReferrals('$1'), [JSON.stringify(referrals)]);
  }
}

/** Dates come back from pg as Date objects; rows travel as ISO strings. */
function normalise(row: InboxRow): InboxRow {
  const out: Record<string, unknown> = { ...row };
  for (const [key, value] of Object.entries(out)) if (value instanceof Date) out[key] = value.toISOString();
  return out as unknown as InboxRow;
}

const COLUMN_TYPES: Record<(typeof INBOX_COLUMNS)[number], string> = {
  referral_id: 'uuid',
  journey_root_id: 'uuid',
  forwarded_from: 'uuid',
  forwarded_to: 'uuid',
  city_id: 'text',
  partner_id: 'text',
  partner_kind: 'text',
  service_id: 'text',
  need_category: 'text',
  status: 'text',
  status_before_hold: 'text',
  kvk_number: 'text',
  business_name: 'text',
  sbi_code: 'text',
  size_class: 'text',
  subject_id: 'uuid',
  consent_id: 'uuid',
  personal: 'jsonb',
  sent_at: 'timestamptz',
  sla_due_at: 'timestamptz',
  first_response_at: 'timestamptz',
  overdue_flag: 'boolean',
  last_activity_at: 'timestamptz',
  version: 'integer',
};

const REFERRAL_RECORD = INBOX_COLUMNS.map((column) => `${column} ${COLUMN_TYPES[column]}`).join(', ');
const REFERRAL_UPDATES = INBOX_COLUMNS.filter((c) => c !== 'referral_id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');
const CONSENT_COLUMNS = 'consent_id, subject_id, city_id, partner_id, purpose, given_at, expires_at, anonymous_statistics';
const CONSENT_RECORD = `consent_id uuid, subject_id uuid, city_id text, partner_id text, purpose text,
  given_at timestamptz, expires_at timestamptz, anonymous_statistics boolean`;

interface ConsentRecord {
  consent_id: string;
  subject_id: string;
  city_id: string;
  partner_id: string;
  purpose: string;
  given_at: string;
  expires_at: string;
  anonymous_statistics: boolean;
}

function consentRecords(given: readonly Extract<SubjectEvent, { type: 'ConsentGiven' }>[]): ConsentRecord[] {
  return given.map(({ data: d }) => ({
    consent_id: d.consentId,
    subject_id: d.subjectId,
    city_id: d.cityId,
    partner_id: d.partnerId,
    purpose: d.purpose,
    given_at: d.givenAt,
    expires_at: d.expiresAt,
    anonymous_statistics: d.anonymousStatistics,
  }));
}

async function applySubjectEvent(manager: EntityManager, schema: string, event: Exclude<SubjectEvent, { type: 'ConsentGiven' }>): Promise<void> {
  switch (event.type) {
    case 'ConsentWithdrawn':
      await manager.query(`update ${schema}.consents set withdrawn_at = $2 where consent_id = $1 and withdrawn_at is null`, [
        event.data.consentId,
        event.data.withdrawnAt,
      ]);
      return;
    case 'SubjectErased':
      await manager.query(`insert into ${schema}.erasures (subject_id, erased_at) values ($1, $2) on conflict do nothing`, [
        event.data.subjectId,
        event.data.erasedAt,
      ]);
      return;
  }
}

/** The stored event as the domain type, upcast to the current schema version. */
function toDomainEvent<Event extends DomainEvent>(recorded: RecordedEvent): Event {
  return { type: recorded.type, data: upcast(recorded.type, recorded.metadata.schemaVersion, recorded.data) } as unknown as Event;
}

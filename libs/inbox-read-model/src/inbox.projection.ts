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
    // Consents first: a referral never needs them in this batch, but a withdrawal may need its consent.
    await insertConsents(manager, schema, subjectEvents.flatMap((event) => (event.type === 'ConsentGiven' ? [event] : [])));
    if (referralEvents.length > 0) await applyReferralEvents(manager, schema, referralEvents);
    for (const event of subjectEvents) if (event.type !== 'ConsentGiven') await applySubjectEvent(manager, schema, event);
  },
};

async function applyReferralEvents(manager: EntityManager, schema: string, events: readonly RecordedEvent[]): Promise<void> {
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
  if (changed.size === 0) return;
  const records = [...changed].map((id) => rows.get(id) as InboxRow);
  const columns = INBOX_COLUMNS.map((column) => `${column} ${COLUMN_TYPES[column]}`).join(', ');
  await manager.query(
    `insert into ${schema}.referrals (${INBOX_COLUMNS.join(', ')})
     select ${INBOX_COLUMNS.join(', ')} from jsonb_to_recordset($1::jsonb) as x(${columns})
     on conflict (referral_id) do update set ${INBOX_COLUMNS.filter((c) => c !== 'referral_id')
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')}`,
    [JSON.stringify(records)],
  );
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

async function insertConsents(manager: EntityManager, schema: string, given: readonly Extract<SubjectEvent, { type: 'ConsentGiven' }>[]): Promise<void> {
  if (given.length === 0) return;
  const records = given.map(({ data: d }) => ({
    consent_id: d.consentId,
    subject_id: d.subjectId,
    city_id: d.cityId,
    partner_id: d.partnerId,
    purpose: d.purpose,
    given_at: d.givenAt,
    expires_at: d.expiresAt,
    anonymous_statistics: d.anonymousStatistics,
  }));
  await manager.query(
    `insert into ${schema}.consents (consent_id, subject_id, city_id, partner_id, purpose, given_at, expires_at, anonymous_statistics)
     select * from jsonb_to_recordset($1::jsonb) as x(consent_id uuid, subject_id uuid, city_id text, partner_id text, purpose text,
       given_at timestamptz, expires_at timestamptz, anonymous_statistics boolean)
     on conflict (consent_id) do nothing`,
    [JSON.stringify(records)],
  );
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

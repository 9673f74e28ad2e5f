import { upcast, type ReferralEvent, type ReferralEventType } from '@koppelstuk/domain';
import type { RecordedEvent } from '@koppelstuk/event-store';
import type { ApplyContext, ProjectionDefinition } from '@koppelstuk/projections';
import { OUTCOME_TABLES, OUTCOMES_SCHEMA, type FactKind } from './outcome-tables';

/** The events that become a fact row, with the field holding their domain time. */
const FACTS: Partial<Record<ReferralEventType, { kind: FactKind; at: string }>> = {
  ReferralAccepted: { kind: 'accepted', at: 'acceptedAt' },
  ReferralDeclined: { kind: 'declined', at: 'declinedAt' },
  InformationRequested: { kind: 'information_requested', at: 'requestedAt' },
  ReferralForwarded: { kind: 'forwarded', at: 'forwardedAt' },
  ReferralWithdrawn: { kind: 'withdrawn', at: 'withdrawnAt' },
  OutcomeRecorded: { kind: 'outcome', at: 'occurredAt' },
  ReferralClosed: { kind: 'closed', at: 'closedAt' },
};

export const OUTCOMES_PROJECTION_NAME = 'outcomes';

interface ReferralColumns {
  referralId: string[];
  journeyRootId: string[];
  cityId: string[];
  partnerId: string[];
  partnerKind: string[];
  needCategory: string[];
  kvkNumber: string[];
  sentAt: string[];
  madeRecordedAt: string[];
  slaDueAt: string[];
  counted: boolean[];
  madeEventId: string[];
  commit: string[];
  prepare: string[];
}

interface FactColumns {
  eventId: string[];
  referralId: string[];
  kind: string[];
  occurredAt: string[];
  recordedAt: string[];
  declineReason: (string | null)[];
  outcomeCode: (string | null)[];
  amountCents: (number | null)[];
  jobsRetained: (number | null)[];
  jobsCreated: (number | null)[];
  commit: string[];
  prepare: string[];
}

/**
 * Referral events → outcomes.referrals and outcomes.facts. A batch becomes two set-based inserts keyed by
 * referral id and event id with `on conflict do nothing`: applying the same events again (a retried or
 * crashed batch, whose transaction was rolled back) changes nothing, and the rows only ever depend on the
 * events themselves. Personal data (`personal`, sealed) is never read.
 */
export const outcomesProjection: ProjectionDefinition = {
  name: OUTCOMES_PROJECTION_NAME,
  schema: OUTCOMES_SCHEMA,
  tables: OUTCOME_TABLES,
  filter: { streamPrefixes: ['referral-'], eventTypes: ['ReferralMade', ...Object.keys(FACTS)] },
  async apply(events: readonly RecordedEvent[], { manager, schema }: ApplyContext): Promise<void> {
    const referrals: ReferralColumns = {
      referralId: [], journeyRootId: [], cityId: [], partnerId: [], partnerKind: [], needCategory: [], kvkNumber: [],
      sentAt: [], madeRecordedAt: [], slaDueAt: [], counted: [], madeEventId: [], commit: [], prepare: [],
    };
    const facts: FactColumns = {
      eventId: [], referralId: [], kind: [], occurredAt: [], recordedAt: [], declineReason: [], outcomeCode: [],
      amountCents: [], jobsRetained: [], jobsCreated: [], commit: [], prepare: [],
    };
    for (const recorded of events) {
      const event = { type: recorded.type, data: upcast(recorded.type, recorded.metadata.schemaVersion, recorded.data) } as unknown as ReferralEvent;
      if (event.type === 'ReferralMade') {
        const d = event.data;
        referrals.referralId.push(d.referralId);
        referrals.journeyRootId.push(d.journeyRootId);
        referrals.cityId.push(d.cityId);
        referrals.partnerId.push(d.partnerId);
        referrals.partnerKind.push(d.partnerKind);
        referrals.needCategory.push(d.needCategory);
        referrals.kvkNumber.push(d.entrepreneur.kvkNumber);
        referrals.sentAt.push(d.sentAt);
        referrals.madeRecordedAt.push(recorded.recordedAt.toISOString());
        referrals.slaDueAt.push(d.slaDueAt);
        referrals.counted.push(d.consent.anonymousStatistics === true);
        referrals.madeEventId.push(recorded.id);
        referrals.commit.push(recorded.position.commit.toString());
        referrals.prepare.push(recorded.position.prepare.toString());
        continue;
      }
      const fact = FACTS[event.type];
      if (!fact) continue;
      const data = event.data as unknown as Record<string, unknown>;
      facts.eventId.push(recorded.id);
      facts.referralId.push(event.data.referralId);
      facts.kind.push(fact.kind);
      facts.occurredAt.push(data[fact.at] as string);
      facts.recordedAt.push(recorded.recordedAt.toISOString());
      facts.declineReason.push(event.type === 'ReferralDeclined' ? event.data.reason : null);
      facts.outcomeCode.push(event.type === 'OutcomeRecorded' ? event.data.code : null);
      facts.amountCents.push(event.type === 'OutcomeRecorded' ? event.data.amountCents : null);
      facts.jobsRetained.push(event.type === 'OutcomeRecorded' ? event.data.jobsRetained : null);
      facts.jobsCreated.push(event.type === 'OutcomeRecorded' ? event.data.jobsCreated : null);
      facts.commit.push(recorded.position.commit.toString());
      facts.prepare.push(recorded.position.prepare.toString());
    }

    // Both inserts in one statement when there are both: one round trip per batch.
    const r = referrals;
    const f = facts;
    const insertReferrals = (first: number) => `insert into ${schema}.referrals (referral_id, journey_root_id, city_id, partner_id, partner_kind, need_category,
                                          kvk_number, sent_at, made_recorded_at, sla_due_at, counted, made_event_id, commit_position, prepare_position)
         select * from unnest(${params(first, ['uuid', 'uuid', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'timestamptz', 'boolean', 'uuid', 'numeric', 'numeric'])})
         on conflict (referral_id) do nothing`;
    const insertFacts = (first: number) => `insert into ${schema}.facts (event_id, referral_id, kind, occurred_at, recorded_at, decline_reason, outcome_code,
                                      amount_cents, jobs_retained, jobs_created, commit_position, prepare_position)
         select * from unnest(${params(first, ['uuid', 'uuid', 'text', 'timestamptz', 'timestamptz', 'text', 'text', 'bigint', 'int', 'int', 'numeric', 'numeric'])})
         on conflict (event_id) do nothing`;
    const referralValues = [r.referralId, r.journeyRootId, r.cityId, r.partnerId, r.partnerKind, r.needCategory, r.kvkNumber, r.sentAt, r.madeRecordedAt, r.slaDueAt, r.counted, r.madeEventId, r.commit, r.prepare];
    const factValues = [f.eventId, f.referralId, f.kind, f.occurredAt, f.recordedAt, f.declineReason, f.outcomeCode, f.amountCents, f.jobsRetained, f.jobsCreated, f.commit, f.prepare];
    if (r.referralId.length > 0 && f.eventId.length > 0) {
      await manager.query(`with made as (${insertReferrals(1)}) ${insertFacts(referralValues.length + 1)}`, [...referralValues, ...factValues]);
    } else if (r.referralId.length > 0) {
      await manager.query(insertReferrals(1), referralValues);
    } else if (f.eventId.length > 0) {
      await manager.query(insertFacts(1), factValues);
    }
  },
};

/** `$first::type[], $next::type[], …` for unnest. */
function params(first: number, types: readonly string[]): string {
  return types.map((type, i) => `$${first + i}::${type}[]`).join(', ');
}

/** The factory the crash harness loads by name. */
export function createOutcomesProjection(): ProjectionDefinition {
  return outcomesProjection;
}

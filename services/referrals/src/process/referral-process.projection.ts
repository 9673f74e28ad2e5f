import { OPEN_STATUSES, REFERRAL_EVENT_TYPES, type ReferralEvent, type ReferralStatus } from '@koppelstuk/domain';
import type { ProjectionDefinition } from '@koppelstuk/projections';
import { toDomainEvent } from '@koppelstuk/service-kit';

const STATUS_AFTER: Partial<Record<ReferralEvent['type'], ReferralStatus>> = {
  ReferralAccepted: 'accepted',
  ReferralDeclined: 'declined',
  InformationRequested: 'on_hold',
  WorkStarted: 'in_progress',
  ReferralForwarded: 'forwarded',
  ReferralWithdrawn: 'withdrawn',
  ReferralClosed: 'completed',
};

/**
 * What the write side needs to know across referrals: which are open (duplicate warnings, deadlines)
 * and which forwards still lack their new referral. Statuses that only depend on the previous one
 * (back from on hold) are read from the stream when they matter, so this projection stays tiny.
 */
export const referralProcessProjection: ProjectionDefinition = {
  name: 'referrals-process',
  schema: 'referrals',
  tables: ['open_referrals', 'pending_forwards'],
  filter: { streamPrefixes: ['referral-'], eventTypes: [...REFERRAL_EVENT_TYPES] },
  async apply(events, { manager, schema }) {
    for (const recorded of events) {
      const event = toDomainEvent<ReferralEvent>(recorded);
      const id = event.data.referralId;
      switch (event.type) {
        case 'ReferralMade':
          await manager.query(
            `insert into ${schema}.open_referrals (referral_id, city_id, kvk_number, status, sla_due_at, overdue)
             values ($1, $2, $3, 'sent', $4, false) on conflict (referral_id) do nothing`,
            [id, event.data.cityId, event.data.entrepreneur.kvkNumber, event.data.slaDueAt],
          );
          await manager.query(`delete from ${schema}.pending_forwards where to_referral_id = $1`, [id]);
          break;
        case 'ReferralForwarded':
          await manager.query(
            `insert into ${schema}.pending_forwards (referral_id, to_referral_id, forwarded_at) values ($1, $2, $3)
             on conflict (referral_id) do nothing`,
            [id, event.data.toReferralId, event.data.forwardedAt],
          );
          await setStatus(manager, schema, id, 'forwarded');
          break;
        case 'InformationProvided':
          // Back to 'sent' or 'accepted': either way open; only 'sent' matters for deadlines, and a
          // referral that was on hold from 'sent' was answered already, so it never becomes overdue.
          await setStatus(manager, schema, id, 'accepted');
          break;
        case 'ReferralOverdue':
          await manager.query(`update ${schema}.open_referrals set overdue = true where referral_id = $1`, [id]);
          break;
        case 'OutcomeRecorded':
          await manager.query(`update ${schema}.open_referrals set status = 'in_progress' where referral_id = $1 and status = 'accepted'`, [id]);
          break;
        default: {
          const status = STATUS_AFTER[event.type];
          if (status) await setStatus(manager, schema, id, status);
        }
      }
    }
  },
};

async function setStatus(manager: { query(sql: string, params: unknown[]): Promise<unknown> }, schema: string, id: string, status: ReferralStatus) {
  if (OPEN_STATUSES.includes(status)) {
    await manager.query(`update ${schema}.open_referrals set status = $2 where referral_id = $1`, [id, status]);
  } else {
    await manager.query(`delete from ${schema}.open_referrals where referral_id = $1`, [id]);
  }
}

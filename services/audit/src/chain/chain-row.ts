import type { RecordedEvent } from '@koppelstuk/event-store';

/** A chain row as the projection writes it (positions and numbers as text: they may exceed 2^53). */
export interface ChainRowData {
  readonly sequence: number;
  readonly commit_position: string;
  readonly prepare_position: string;
  readonly event_id: string;
  readonly stream: string;
  readonly revision: string;
  readonly event_type: string;
  readonly recorded_at: string;
  readonly actor_user_id: string;
  readonly actor_organisation_id: string | null;
  readonly actor_roles: readonly string[];
  readonly city_id: string | null;
  readonly partner_id: string | null;
  readonly hash: string;
}

export interface EventActor {
  readonly userId: string;
  readonly organisationId: string | null;
  readonly roles: readonly string[];
}

/**
 * The actor as the metadata names it. The chain must take every event the log holds, also one written
 * around the application (that is what it exists to notice), so a missing or malformed actor is recorded
 * as such instead of stopping the projection.
 */
export function actorOf(event: RecordedEvent): EventActor {
  const actor = (event.metadata as { actor?: unknown }).actor;
  if (typeof actor !== 'object' || actor === null) return { userId: '(unknown)', organisationId: null, roles: [] };
  const { userId, organisationId, roles } = actor as { userId?: unknown; organisationId?: unknown; roles?: unknown };
  return {
    userId: typeof userId === 'string' ? userId : '(unknown)',
    organisationId: typeof organisationId === 'string' ? organisationId : null,
    roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
  };
}

/** The referral's city and partner, from its ReferralMade event: what tenancy on the audit log is decided by. */
export interface ReferralParties {
  readonly cityId: string;
  readonly partnerId: string;
}

export function partiesFromMade(event: RecordedEvent): ReferralParties | null {
  if (event.type !== 'ReferralMade' || !event.stream.startsWith('referral-')) return null;
  const { cityId, partnerId } = event.data as { cityId?: unknown; partnerId?: unknown };
  return typeof cityId === 'string' && typeof partnerId === 'string' ? { cityId, partnerId } : null;
}

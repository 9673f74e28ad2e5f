import type { CommandActor, Referral } from '@koppelstuk/domain';
import type { EventStore } from '@koppelstuk/event-store';
import { loadVisibleReferral } from '../history/referral-stream';

export interface ReferralSnapshot {
  readonly referral: Referral;
  readonly at: Date;
  /** The stream revision of the last event applied. */
  readonly version: number;
  readonly eventsApplied: number;
}

/**
 * The referral as it stood at `at`: its stream replayed with only the events recorded up to then, through the
 * same evolveReferral the write side decides with. Null when it did not exist yet or this reader may not see it.
 */
export async function referralAsOf(store: EventStore, referralId: string, at: Date, reader: CommandActor): Promise<ReferralSnapshot | null> {
  const loaded = await loadVisibleReferral(store, referralId, reader, at);
  if (!loaded) return null;
  const last = loaded.events[loaded.events.length - 1];
  return { referral: loaded.state, at, version: Number(last?.revision ?? 0), eventsApplied: loaded.events.length };
}

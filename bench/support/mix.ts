import type { TestDatabase } from '@koppelstuk/database';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { ReferralWriter, writeReferralMix } from '@koppelstuk/testing';
import type { BenchContext } from './context';

export interface MixDatabase {
  readonly database: TestDatabase;
  /** Events in the log. */
  readonly events: number;
  readonly referrals: number;
  readonly writers: number;
  readonly generationMs: number;
}

/**
 * The realistic event mix of the tests (libs/testing writeReferralMix: real deciders, sealed personal
 * data, consents, forwards, late outcomes…) written by several writers at once, each on its own
 * referrals, so that 100,000 events take seconds rather than minutes. The log is the same kind of log:
 * only the interleaving of the referrals' streams differs from a single writer's.
 */
export async function writeMixDatabase(context: BenchContext, events: number, writers: number): Promise<MixDatabase> {
  const database = await context.server.database('mix');
  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: writers, applicationName: 'bench-mix' });
  try {
    const started = performance.now();
    const reports = await Promise.all(
      Array.from({ length: writers }, (_, i) => writeReferralMix(new ReferralWriter(store), { events: Math.ceil(events / writers), seed: 8_000 + i })),
    );
    const generationMs = performance.now() - started;
    return {
      database,
      events: reports.reduce((sum, r) => sum + r.events, 0),
      referrals: reports.reduce((sum, r) => sum + r.referrals, 0),
      writers,
      generationMs,
    };
  } catch (error) {
    await store.close();
    await database.drop();
    throw error;
  } finally {
    await store.close().catch(() => undefined);
  }
}

import type { EventStore } from './event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

export type EventStoreConfig =
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly poolSize?: number; readonly applicationName?: string }
  | { readonly kind: 'kurrentdb'; readonly connectionString: string };

/** Opens the configured adapter; services never pick one themselves. */
export async function connectEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'postgres':
      return PostgresEventStore.connect(config);
    case 'kurrentdb': {
      // Loaded only when configured: the KurrentDB gRPC client costs every process about 25 MB of memory (bench/).
      const { KurrentDbEventStore } = await import('./kurrentdb/kurrentdb-event-store');
      return KurrentDbEventStore.connect(config.connectionString);
    }
  }
}

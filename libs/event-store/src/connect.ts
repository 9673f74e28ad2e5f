import type { EventStore } from './event-store';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

export type EventStoreConfig =
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly poolSize?: number; readonly applicationName?: string }
  | { readonly kind: 'kurrentdb'; readonly connectionString: string };

/** Opens the configured adapter; services never pick one themselves. */
export async function connectEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'postgres':
      return PostgresEventStore.connect(config);
    case 'kurrentdb':
      return KurrentDbEventStore.connect(config.connectionString);
  }
}

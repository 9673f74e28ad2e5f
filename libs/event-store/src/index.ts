export * from './event-store';
export * from './errors';
export * from './position';
export { assertJson, MAX_APPEND_BYTES } from './validation';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
// The KurrentDB adapter is reached through connectEventStore({ kind: 'kurrentdb' }), which loads its gRPC client
// only then; exporting the class here would load it into every process.
export { connectEventStore, type EventStoreConfig } from './connect';

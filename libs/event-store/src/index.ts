export * from './event-store';
export * from './errors';
export * from './position';
export { assertJson, MAX_APPEND_BYTES } from './validation';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { KurrentDbEventStore, toStreamState } from './kurrentdb/kurrentdb-event-store';
export { connectEventStore, type EventStoreConfig } from './connect';

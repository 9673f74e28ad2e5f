export * from './embedded/embedded-postgres';
export * from './database-url';
export * from './test-databases';

export * from './g40-directory';
export * from './seed-directory';

export * from './sql';
export * from './master-key';
export * from './subject-key-store';
export * from './sealed-data';
export * from './access-log';
export * from './migration';

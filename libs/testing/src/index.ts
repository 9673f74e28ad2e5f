export * from './service-under-test';
export * from './referral-writer';
export * from './real-sealer';
export * from './referral-mix';
export * from './network';

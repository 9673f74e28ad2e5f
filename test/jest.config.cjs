module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'e2e',
  rootDir: __dirname,
  // The network is a set of real processes: one file at a time, with room to start them.
  maxWorkers: 1,
  testTimeout: 120_000,
};

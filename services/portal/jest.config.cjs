// The portal's browser tests: the real network (every service and the gateway as child processes, on a
// fresh database), the portal's production build, and Debian's Chromium driven by playwright-core.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'portal',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.browser.spec.ts'],
  testTimeout: 120_000,
  // Starting the network and building the portal happen once, in the suite's beforeAll.
  slowTestThreshold: 60,
};

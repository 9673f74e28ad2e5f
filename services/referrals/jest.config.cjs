module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'referrals',
  rootDir: __dirname,
};

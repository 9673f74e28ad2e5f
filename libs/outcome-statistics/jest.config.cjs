module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'outcome-statistics',
  rootDir: __dirname,
};

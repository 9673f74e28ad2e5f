module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'inbox',
  rootDir: __dirname,
};

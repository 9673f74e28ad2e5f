module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'outcomes',
  rootDir: __dirname,
};

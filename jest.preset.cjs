// Shared Jest settings: TypeScript through @swc/jest (decorators + metadata for NestJS),
// tsconfig path aliases mapped to the libraries' sources.
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
  const escaped = alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  moduleNameMapper[`^${escaped.replace('\\*', '(.*)')}$`] = path.join(root, target.replace('*', '$1'));
}

const swcConfig = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcConfig.$schema;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec|test).ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Integration tests start real PostgreSQL servers; give them room but no retries.
  testTimeout: 60_000,
};

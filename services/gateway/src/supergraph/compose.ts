import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** The subgraphs and the address each has on one machine (`npm start`); deployments override per name. */
export const SUBGRAPHS: Readonly<Record<string, number>> = {
  referrals: 4001,
  directory: 4002,
  inbox: 4003,
  outcomes: 4004,
  audit: 4005,
};

export const defaultSubgraphUrl = (name: string) => `http://127.0.0.1:${SUBGRAPHS[name]}/graphql`;

/**
 * Composes schema/subgraphs/*.graphql into the federation v2 supergraph. Fails with every composition
 * error when the subgraphs disagree; CI checks that the checked-in schema/supergraph.graphql equals this.
 */
export function composeSupergraph(schemaDir: string): string {
  const files = readdirSync(join(schemaDir, 'subgraphs')).filter((file) => file.endsWith('.graphql')).sort();
  const services = files.map((file) => {
    const name = file.replace(/\.graphql$/, '');
    if (!(name in SUBGRAPHS)) throw new Error(`schema/subgraphs/${file} is not a known subgraph (${Object.keys(SUBGRAPHS).join(', ')})`);
    return { name, url: defaultSubgraphUrl(name), typeDefs: parse(readFileSync(join(schemaDir, 'subgraphs', file), 'utf8')) };
  });
  const result = composeServices(services);
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  return `${result.supergraphSdl.trim()}\n`;
}

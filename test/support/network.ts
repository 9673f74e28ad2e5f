/**
 * The whole network as separate processes: it lives in @koppelstuk/testing (libs/testing/src/network.ts) so
 * that the benchmarks (bench/) start it the same way.
 */
export { eventually, ROOT, startNetwork, type GraphQLResult, type Network, type NetworkOptions } from '@koppelstuk/testing';

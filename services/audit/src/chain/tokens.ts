/** The checkpoint signer of this process (see chain-signer.ts). */
export const CHAIN_SIGNER = Symbol('CHAIN_SIGNER');

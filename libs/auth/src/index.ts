export * from './principal';
export * from './token-verifier';
export * from './dev-issuer';
export * from './auth-config';

/** Injection tokens for the infrastructure every service shares. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const RESOLVED_DATABASE = Symbol('RESOLVED_DATABASE');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
export const PROJECTION_RUNNERS = Symbol('PROJECTION_RUNNERS');

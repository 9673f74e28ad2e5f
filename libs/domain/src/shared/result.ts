/** Why a command was refused. The codes are the stable GraphQL `extensions.code` values. */
export type DomainErrorCode = 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID_TRANSITION';

export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
  /** The input field at fault, for BAD_USER_INPUT. */
  readonly field?: string;
}

export type Decision<Event> = { readonly ok: true; readonly events: readonly Event[] } | { readonly ok: false; readonly error: DomainError };

export const accept = <Event>(...events: Event[]): Decision<Event> => ({ ok: true, events });
export const refuse = (code: DomainErrorCode, message: string, field?: string): { ok: false; error: DomainError } => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});

/** Compile-time proof that a switch handled every case. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

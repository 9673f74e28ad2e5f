import type { Role } from '@koppelstuk/domain';

/** Who is calling, as a verified token says: the actor of every command and every read. */
export interface Principal {
  readonly userId: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
}

/** Thrown for a missing, malformed, forged, expired or otherwise unacceptable token. */
export class AuthenticationError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

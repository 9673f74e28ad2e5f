import { hasRole, type CommandActor } from '@koppelstuk/domain';
import { appError } from '@koppelstuk/service-kit';

/** Auditors and admins see every referral (personal data masked); everyone else only their organisation's. */
export const isOverseer = (principal: CommandActor): boolean => hasRole(principal, 'auditor') || hasRole(principal, 'admin');

export function requireOverseer(principal: CommandActor, what: string): void {
  if (!isOverseer(principal)) throw appError('FORBIDDEN', `${what} is for auditors and administrators`);
}

/** The data protection officer's tools: admins only. */
export function requireAdmin(principal: CommandActor, what: string): void {
  if (!hasRole(principal, 'admin')) throw appError('FORBIDDEN', `${what} is for administrators (the data protection officer)`);
}

export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

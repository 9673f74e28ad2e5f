/**
 * city_officer and partner_agent work referrals; supervisor (partners) receives escalations; org_admin manages
 * its own organisation (members, services, webhooks); dpo is a data-protection officer (functionaris
 * gegevensbescherming); auditor reads everything masked; admin is the programme office that runs the network.
 */
export const ROLES = ['city_officer', 'partner_agent', 'supervisor', 'org_admin', 'dpo', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated person a command comes from, as the verified token says. */
export interface CommandActor {
  readonly userId: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
}

/** Deadlines and other automatic steps act as the system. */
export const SYSTEM_ACTOR: CommandActor = { userId: 'system', organisationId: 'koppelstuk', roles: [] };

export const hasRole = (actor: CommandActor, role: Role): boolean => actor.roles.includes(role);

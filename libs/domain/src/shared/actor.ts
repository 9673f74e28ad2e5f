export const ROLES = ['city_officer', 'partner_agent', 'auditor', 'admin'] as const;
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

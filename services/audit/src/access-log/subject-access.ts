import type { AccessLogEntry } from '@koppelstuk/personal-data';

/** An access-log entry as exported for the person it is about (their "inzageverzoek"). */
export interface ExportedAccess extends Record<string, unknown> {
  readonly accessedAt: string;
  readonly userId: string;
  readonly organisationId: string;
  readonly roles: string;
  readonly referralId: string | null;
  readonly fields: string;
  readonly purpose: string;
  readonly service: string;
  readonly correlationId: string | null;
}

export const EXPORTED_ACCESS_COLUMNS = [
  'accessedAt',
  'userId',
  'organisationId',
  'roles',
  'referralId',
  'fields',
  'purpose',
  'service',
  'correlationId',
] as const satisfies readonly (keyof ExportedAccess)[];

export const exportedAccess = (entry: AccessLogEntry): ExportedAccess => ({
  accessedAt: entry.accessedAt.toISOString(),
  userId: entry.userId,
  organisationId: entry.organisationId,
  roles: entry.roles.join(' '),
  referralId: entry.referralId,
  fields: entry.fields.join(' '),
  purpose: entry.purpose,
  service: entry.service,
  correlationId: entry.correlationId,
});

import { hasRole, type CommandActor } from '@koppelstuk/domain';
import type { Sql } from '../chain/checkpoints';
import { isOverseer } from '../authorisation';

export interface AuditLogFilter {
  readonly organisation?: string | null;
  readonly actor?: string | null;
  readonly eventType?: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
}

export interface AuditLogRow {
  readonly sequence: number;
  readonly commit_position: string;
  readonly prepare_position: string;
  readonly event_id: string;
  readonly stream: string;
  readonly event_type: string;
  readonly recorded_at: Date;
  readonly actor_user_id: string;
  readonly actor_organisation_id: string | null;
  readonly actor_roles: string[];
  readonly hash: string;
}

/**
 * A page of the audit log, newest first (by chain sequence, i.e. log order), after `beforeSequence`. Tenancy
 * is part of the query: auditors and admins see every event; a city officer only events of referral streams
 * of their city, a partner agent only those of referrals addressed to their organisation (canSeeReferral's
 * rule, on the parties stored with each chained event); nobody else anything, and no other streams.
 */
export async function auditLogPage(
  sql: Sql,
  reader: CommandActor,
  filter: AuditLogFilter,
  first: number,
  beforeSequence: string | null,
): Promise<{ rows: AuditLogRow[]; hasNextPage: boolean }> {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  if (!isOverseer(reader)) {
    const scopes: string[] = [];
    if (hasRole(reader, 'city_officer')) scopes.push(`c.city_id = ${bind(reader.organisationId)}`);
    if (hasRole(reader, 'partner_agent')) scopes.push(`c.partner_id = ${bind(reader.organisationId)}`);
    if (scopes.length === 0) return { rows: [], hasNextPage: false };
    conditions.push(`(${scopes.join(' or ')})`);
  }
  if (filter.organisation) conditions.push(`c.actor_organisation_id = ${bind(filter.organisation)}`);
  if (filter.actor) conditions.push(`c.actor_user_id = ${bind(filter.actor)}`);
  if (filter.eventType) conditions.push(`c.event_type = ${bind(filter.eventType)}`);
  if (filter.from) conditions.push(`c.recorded_at >= ${bind(filter.from)}::timestamptz`);
  if (filter.to) conditions.push(`c.recorded_at <= ${bind(filter.to)}::timestamptz`);
  if (beforeSequence) conditions.push(`c.sequence < ${bind(beforeSequence)}::bigint`);
  const rows = (await sql.query(
    `select c.sequence::int as sequence, c.commit_position::text as commit_position, c.prepare_position::text as prepare_position,
            c.event_id, c.stream, c.event_type, c.recorded_at, c.actor_user_id, c.actor_organisation_id, c.actor_roles, c.hash
       from audit.chain c ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''}
      order by c.sequence desc limit ${bind(first + 1)}`,
    params,
  )) as AuditLogRow[];
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

import { hasRole } from '@koppelstuk/domain';
import type { Principal } from '@koppelstuk/auth';
import { appError } from '@koppelstuk/service-kit';
import type { StatisticsAccess } from '@koppelstuk/outcome-statistics';

export { MIN_ENTREPRENEURS_PER_CELL, type StatisticsAccess } from '@koppelstuk/outcome-statistics';

export function statisticsAccess(principal: Principal): StatisticsAccess {
  if (hasRole(principal, 'auditor') || hasRole(principal, 'admin')) return { kind: 'all', suppressSmallCells: false };
  const cityIds = hasRole(principal, 'city_officer') ? [principal.organisationId] : [];
  const partnerIds = hasRole(principal, 'partner_agent') ? [principal.organisationId] : [];
  if (cityIds.length === 0 && partnerIds.length === 0) {
    throw appError('FORBIDDEN', 'Statistics are for city officers, partner agents, auditors and admins');
  }
  return { kind: 'own', cityIds, partnerIds, suppressSmallCells: true };
}

/** Whether the reader may see figures about this organisation at all (Organisation.outcomeStatistics). */
export function mayReadOrganisation(access: StatisticsAccess, organisationId: string): boolean {
  return access.kind === 'all' || access.cityIds.includes(organisationId) || access.partnerIds.includes(organisationId);
}

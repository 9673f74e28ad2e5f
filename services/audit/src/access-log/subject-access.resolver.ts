import { Args, Query, Resolver } from '@nestjs/graphql';
import { AccessLog } from '@koppelstuk/personal-data';
import { appError, Ctx, type RequestContext } from '@koppelstuk/service-kit';
import { isUuid, requireAdmin } from '../authorisation';
import { collectExport, MAX_EXPORT_ROWS } from '../export/collect';
import type { ExportFormat } from '../export/formats';
import { decodeCursor, encodeCursor, organisationRef } from '../graphql-nodes';
import { EXPORTED_ACCESS_COLUMNS, exportedAccess, type ExportedAccess } from './subject-access';

const MAX_PAGE = 1000;

/**
 * The record of every read of one person's decrypted personal data (verwerkingenlogging), for the data
 * protection officer. Listing it reads no personal data, so it is not itself recorded.
 */
@Resolver('Query')
export class SubjectAccessResolver {
  constructor(private readonly log: AccessLog) {}

  @Query('subjectAccessLog')
  async subjectAccessLog(
    @Args('subjectId') subjectId: string,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Ctx() { principal }: RequestContext,
  ) {
    requireAdmin(principal, "A person's access log");
    assertSubjectId(subjectId);
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw appError('BAD_USER_INPUT', `first is 1 to ${MAX_PAGE}`, { field: 'first' });
    const before = after ? decodeCursor('access', after) : null;
    if (after && !before) throw appError('BAD_USER_INPUT', 'That is not a cursor from this list', { field: 'after' });
    const entries = await this.log.forSubject(subjectId, { limit: first + 1, ...(before ? { before } : {}) });
    const edges = entries.slice(0, first).map((entry) => ({
      cursor: encodeCursor('access', entry.id),
      node: { ...entry, organisation: organisationRef(entry.organisationId) },
    }));
    return { edges, pageInfo: { hasNextPage: entries.length > first, endCursor: edges[edges.length - 1]?.cursor ?? null } };
  }

  @Query('subjectAccessExport')
  async subjectAccessExport(@Args('subjectId') subjectId: string, @Args('format') format: ExportFormat, @Ctx() { principal }: RequestContext) {
    requireAdmin(principal, "A person's access log");
    assertSubjectId(subjectId);
    const entries = await this.log.forSubject(subjectId, { limit: MAX_EXPORT_ROWS + 1 });
    // Oldest first in a file: it reads as the story of who looked, in order.
    return collectExport<ExportedAccess>(`koppelstuk-access-log-${subjectId}`, format, EXPORTED_ACCESS_COLUMNS, entries.reverse().map(exportedAccess));
  }
}

function assertSubjectId(subjectId: string): void {
  if (!isUuid(subjectId)) throw appError('BAD_USER_INPUT', 'A subject id is a UUID', { field: 'subjectId' });
}

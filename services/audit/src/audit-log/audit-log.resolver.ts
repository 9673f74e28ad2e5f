import { Args, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { appError, Ctx, type RequestContext } from '@koppelstuk/service-kit';
import { actorNode, decodeCursor, encodeCursor } from '../graphql-nodes';
import { auditLogPage, type AuditLogFilter } from './audit-log-page';

const MAX_PAGE = 200;

@Resolver('Query')
export class AuditLogResolver {
  constructor(private readonly dataSource: DataSource) {}

  @Query('auditLog')
  async auditLog(
    @Args('filter') filter: AuditLogFilter | null,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Ctx() { principal }: RequestContext,
  ) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw appError('BAD_USER_INPUT', `first is 1 to ${MAX_PAGE}`, { field: 'first' });
    const before = after ? decodeCursor('seq', after) : null;
    if (after && !before) throw appError('BAD_USER_INPUT', 'That is not a cursor from this list', { field: 'after' });
    const page = await auditLogPage(this.dataSource, principal, filter ?? {}, first, before);
    const edges = page.rows.map((row) => ({
      cursor: encodeCursor('seq', row.sequence),
      node: {
        sequence: row.sequence,
        position: `${row.commit_position}/${row.prepare_position}`,
        eventId: row.event_id,
        stream: row.stream,
        type: row.event_type,
        recordedAt: row.recorded_at,
        actor: actorNode({ userId: row.actor_user_id, organisationId: row.actor_organisation_id, roles: row.actor_roles }),
        hash: row.hash,
      },
    }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges[edges.length - 1]?.cursor ?? null } };
  }
}

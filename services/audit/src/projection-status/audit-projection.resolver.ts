import { Query, Resolver } from '@nestjs/graphql';
import { Ctx, ProjectionRunners, type RequestContext } from '@koppelstuk/service-kit';
import { requireAdmin } from '../authorisation';

@Resolver('Query')
export class AuditProjectionResolver {
  constructor(private readonly runners: ProjectionRunners) {}

  /** From the runner in this process, or from the checkpoint when a separate projector runs the chain. */
  @Query('auditProjection')
  auditProjection(@Ctx() { principal }: RequestContext) {
    requireAdmin(principal, 'Projection status');
    return this.runners.reports();
  }
}

import { Args, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { hasRole, type Member, type NeedCategory, type Organisation, type OrganisationKind, type Service } from '@koppelstuk/domain';
import { Ctx, type RequestContext } from '@koppelstuk/service-kit';
import { DirectoryView } from './directory-view';

/**
 * The directory is the network's shared catalogue: every signed-in user may read organisations and
 * services. Membership lists are for the organisation's own members and for admins.
 */
@Resolver('Organisation')
export class OrganisationResolver {
  constructor(private readonly view: DirectoryView) {}

  @Query('organisations')
  organisations(@Args('kind') kind?: OrganisationKind | null, @Args('municipality') municipality?: string | null): Organisation[] {
    return this.view.organisations({ kind: kind ?? null, municipality: municipality ?? null });
  }

  @Query('organisation')
  organisation(@Args('id') id: string): Organisation | null {
    return this.view.organisation(id)?.organisation ?? null;
  }

  @ResolveReference()
  reference(reference: { id: string }): Organisation | null {
    return this.view.organisation(reference.id)?.organisation ?? null;
  }

  @ResolveField('id')
  id(@Parent() organisation: Organisation): string {
    return organisation.organisationId;
  }

  @ResolveField('services')
  services(@Parent() organisation: Organisation, @Args('includeRetired') includeRetired: boolean): Service[] {
    return organisation.services.filter((s) => includeRetired || s.active);
  }

  @ResolveField('members')
  members(@Parent() organisation: Organisation, @Ctx() context: RequestContext): readonly Member[] | null {
    const { principal } = context;
    return principal.organisationId === organisation.organisationId || hasRole(principal, 'admin') ? organisation.members : null;
  }

  @ResolveField('version')
  version(@Parent() organisation: Organisation): number {
    return this.view.organisation(organisation.organisationId)?.version ?? 0;
  }
}

@Resolver('Service')
export class ServiceResolver {
  constructor(private readonly view: DirectoryView) {}

  @Query('services')
  services(@Args('needCategory') needCategory?: NeedCategory | null, @Args('municipality') municipality?: string | null): Service[] {
    return this.view.services({ needCategory: needCategory ?? null, municipality: municipality ?? null });
  }

  @Query('service')
  service(@Args('id') id: string): Service | null {
    return this.view.service(id);
  }

  @ResolveReference()
  reference(reference: { id: string }): Service | null {
    return this.view.service(reference.id);
  }

  @ResolveField('id')
  id(@Parent() service: Service): string {
    return service.serviceId;
  }

  @ResolveField('organisation')
  organisation(@Parent() service: Service): Organisation | null {
    return this.view.organisation(service.organisationId)?.organisation ?? null;
  }
}

import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { Language, NeedCategory, Organisation, OrganisationCommand, OrganisationKind, Role, Service } from '@koppelstuk/domain';
import { Ctx, type CommandEnvelope, type RequestContext } from '@koppelstuk/service-kit';
import { ChangeDirectory } from './directory-commands';

interface WithKey {
  clientMutationId?: string | null;
}

/** Admin mutations of the directory; the decider refuses them for anyone else. */
@Resolver()
export class DirectoryMutationsResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation('registerOrganisation')
  register(
    @Args('input') input: WithKey & { id: string; name: string; kind: OrganisationKind; municipalityCode?: string | null; region?: string | null },
    @Ctx() context: RequestContext,
  ): Promise<Organisation> {
    return this.change(input.id, input, context, (base) => ({
      ...base,
      type: 'RegisterOrganisation',
      organisationId: input.id,
      name: input.name,
      kind: input.kind,
      municipalityCode: input.municipalityCode ?? null,
      region: input.region ?? null,
    }));
  }

  @Mutation('offerService')
  async offerService(
    @Args('input')
    input: WithKey & {
      organisationId: string;
      serviceId: string;
      name: string;
      description: string;
      needCategories: NeedCategory[];
      municipalities: string[];
      slaWorkingDays: number;
      eligibilityNotes: string;
    },
    @Ctx() context: RequestContext,
  ): Promise<Service> {
    const organisation = await this.change(input.organisationId, input, context, (base) => ({
      ...base,
      type: 'OfferService',
      serviceId: input.serviceId,
      name: input.name,
      description: input.description,
      needCategories: input.needCategories,
      municipalities: input.municipalities,
      slaWorkingDays: input.slaWorkingDays,
      eligibilityNotes: input.eligibilityNotes,
    }));
    return organisation.services.find((s) => s.serviceId === input.serviceId) as Service;
  }

  @Mutation('retireService')
  async retireService(@Args('input') input: WithKey & { organisationId: string; serviceId: string }, @Ctx() context: RequestContext): Promise<Service> {
    const organisation = await this.change(input.organisationId, input, context, (base) => ({ ...base, type: 'RetireService', serviceId: input.serviceId }));
    return organisation.services.find((s) => s.serviceId === input.serviceId) as Service;
  }

  @Mutation('addMember')
  addMember(
    @Args('input')
    input: WithKey & { organisationId: string; userId: string; displayName: string; roles: Role[]; email?: string | null; language?: Language | null },
    @Ctx() context: RequestContext,
  ): Promise<Organisation> {
    return this.change(input.organisationId, input, context, (base) => ({
      ...base,
      type: 'AddMember',
      userId: input.userId,
      displayName: input.displayName,
      roles: input.roles,
      email: input.email ?? null,
      ...(input.language ? { language: input.language } : {}),
    }));
  }

  @Mutation('changeMemberContact')
  changeMemberContact(
    @Args('input') input: WithKey & { organisationId: string; userId: string; email?: string | null; language: Language },
    @Ctx() context: RequestContext,
  ): Promise<Organisation> {
    return this.change(input.organisationId, input, context, (base) => ({
      ...base,
      type: 'ChangeMemberContact',
      userId: input.userId,
      email: input.email ?? null,
      language: input.language,
    }));
  }

  @Mutation('removeMember')
  removeMember(@Args('input') input: WithKey & { organisationId: string; userId: string }, @Ctx() context: RequestContext): Promise<Organisation> {
    return this.change(input.organisationId, input, context, (base) => ({ ...base, type: 'RemoveMember', userId: input.userId }));
  }

  private change(
    organisationId: string,
    input: WithKey,
    context: RequestContext,
    build: (base: { actor: RequestContext['principal']; at: string }) => OrganisationCommand,
  ): Promise<Organisation> {
    const command = build({ actor: context.principal, at: new Date().toISOString() });
    const envelope: CommandEnvelope = {
      actor: context.principal,
      correlationId: context.correlationId,
      idempotencyKey: input.clientMutationId ?? null,
      expectedVersion: null,
      commandType: command.type,
    };
    return this.commands.execute(new ChangeDirectory(organisationId, command, envelope));
  }
}

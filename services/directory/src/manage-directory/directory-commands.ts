import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOrganisation, type Organisation, type OrganisationCommand } from '@koppelstuk/domain';
import type { EventStore } from '@koppelstuk/event-store';
import { appError, EVENT_STORE, executeOnStream, type CommandEnvelope } from '@koppelstuk/service-kit';
import { DirectoryView } from '../directory-view/directory-view';
import { organisationModel } from '../organisation-stream';

/** One directory change: a decided command on one organisation's stream. */
export class ChangeDirectory {
  constructor(
    readonly organisationId: string,
    readonly command: OrganisationCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

@CommandHandler(ChangeDirectory)
export class ChangeDirectoryHandler implements ICommandHandler<ChangeDirectory, Organisation> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly view: DirectoryView,
  ) {}

  async execute({ organisationId, command, envelope }: ChangeDirectory): Promise<Organisation> {
    if (command.type === 'OfferService') {
      // Service ids are global (they are federated entities): one organisation's id is not another's to take.
      const existing = this.view.service(command.serviceId);
      if (existing && existing.organisationId !== organisationId) {
        throw appError('BAD_USER_INPUT', `The service id ${command.serviceId} is already used by another organisation`, { field: 'serviceId' });
      }
    }
    const result = await executeOnStream(this.store, organisationModel(organisationId), envelope, (state) => decideOrganisation(state, command));
    if (result.position) await this.view.waitFor(result.position);
    return result.state as Organisation;
  }
}

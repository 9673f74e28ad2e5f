import { evolveOrganisation, organisationStream, type OrganisationEvent, type OrganisationState } from '@koppelstuk/domain';
import type { JsonObject } from '@koppelstuk/event-store';
import type { StreamModel } from '@koppelstuk/service-kit';

/** Directory events carry no personal data of entrepreneurs, so they are stored as decided. */
export const organisationModel = (organisationId: string): StreamModel<OrganisationState, OrganisationEvent> => ({
  stream: organisationStream(organisationId),
  initial: null,
  evolve: evolveOrganisation,
  seal: async (events) => events.map((event) => event.data as unknown as JsonObject),
});

import { evolveOrganisation, organisationStream, type DirectoryFacts, type OrganisationEvent, type OrganisationState } from '@koppelstuk/domain';
import type { EventStore } from '@koppelstuk/event-store';
import { loadStream } from '@koppelstuk/service-kit';

export async function loadOrganisation(store: EventStore, organisationId: string): Promise<OrganisationState> {
  const { state } = await loadStream<OrganisationState, OrganisationEvent>(store, {
    stream: organisationStream(organisationId),
    initial: null,
    evolve: evolveOrganisation,
  });
  return state;
}

/** What the directory's streams say about a city, a partner and a service, for a pure decision. */
export async function directoryFacts(store: EventStore, cityId: string, partnerId: string, serviceId: string): Promise<DirectoryFacts> {
  const [city, partner] = await Promise.all([loadOrganisation(store, cityId), loadOrganisation(store, partnerId)]);
  const service = partner?.services.find((s) => s.serviceId === serviceId) ?? null;
  return {
    city: city ? { id: city.organisationId, kind: city.kind, municipalityCode: city.municipalityCode } : null,
    partner: partner ? { id: partner.organisationId, kind: partner.kind, active: true } : null,
    service: service
      ? {
          id: service.serviceId,
          partnerId: service.organisationId,
          active: service.active,
          needCategories: service.needCategories,
          municipalities: service.municipalities,
          slaWorkingDays: service.slaWorkingDays,
        }
      : null,
  };
}

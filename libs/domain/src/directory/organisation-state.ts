import type { Role } from '../shared/actor';
import { unreachable } from '../shared/result';
import type { Language, NeedCategory, OrganisationKind } from '../shared/vocabulary';
import type { OrganisationEvent } from './organisation-events';

export interface Service {
  readonly serviceId: string;
  readonly organisationId: string;
  readonly name: string;
  readonly description: string;
  readonly needCategories: readonly NeedCategory[];
  readonly municipalities: readonly string[];
  readonly slaWorkingDays: number;
  readonly eligibilityNotes: string;
  readonly active: boolean;
}

export interface Member {
  readonly userId: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly email: string | null;
  readonly language: Language;
}

export interface Organisation {
  readonly organisationId: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly municipalityCode: string | null;
  readonly region: string | null;
  readonly services: readonly Service[];
  readonly members: readonly Member[];
}

export type OrganisationState = Organisation | null;

export function evolveOrganisation(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  if (event.type === 'OrganisationRegistered') {
    const { organisationId, name, kind, municipalityCode, region } = event.data;
    return { organisationId, name, kind, municipalityCode, region, services: [], members: [] };
  }
  if (state === null) return state;
  switch (event.type) {
    case 'ServiceOffered': {
      const { offeredAt: _offeredAt, ...service } = event.data;
      // Offering an existing service id again updates it (a new SLA, another area).
      return {
        ...state,
        services: [...state.services.filter((s) => s.serviceId !== service.serviceId), { ...service, active: true }],
      };
    }
    case 'ServiceRetired':
      return {
        ...state,
        services: state.services.map((s) => (s.serviceId === event.data.serviceId ? { ...s, active: false } : s)),
      };
    case 'MemberAdded': {
      const { userId, displayName, roles } = event.data;
      const earlier = state.members.find((m) => m.userId === userId);
      const contact = { email: earlier?.email ?? null, language: earlier?.language ?? 'nl' } as const;
      return { ...state, members: [...state.members.filter((m) => m.userId !== userId), { userId, displayName, roles, ...contact }] };
    }
    case 'MemberContactChanged': {
      const { userId, email, language } = event.data;
      return { ...state, members: state.members.map((m) => (m.userId === userId ? { ...m, email, language } : m)) };
    }
    case 'MemberRemoved':
      return { ...state, members: state.members.filter((m) => m.userId !== event.data.userId) };
    default:
      return unreachable(event);
  }
}

export const foldOrganisation = (events: readonly OrganisationEvent[]): OrganisationState =>
  events.reduce(evolveOrganisation, null as OrganisationState);

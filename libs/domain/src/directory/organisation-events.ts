import type { Role } from '../shared/actor';
import type { Language, NeedCategory, OrganisationKind } from '../shared/vocabulary';

export interface OrganisationRegistered {
  readonly type: 'OrganisationRegistered';
  readonly data: {
    readonly organisationId: string;
    readonly name: string;
    readonly kind: OrganisationKind;
    /** A city's own CBS municipality code (e.g. GM0141); null for partners. */
    readonly municipalityCode: string | null;
    /** Free-form region a partner works in, e.g. "Twente" or "Noord-Holland"; shown in the directory. */
    readonly region: string | null;
    readonly registeredAt: string;
  };
}

export interface ServiceOffered {
  readonly type: 'ServiceOffered';
  readonly data: {
    readonly organisationId: string;
    readonly serviceId: string;
    readonly name: string;
    readonly description: string;
    readonly needCategories: readonly NeedCategory[];
    /** CBS municipality codes served; empty means everywhere (national and European instruments). */
    readonly municipalities: readonly string[];
    readonly slaWorkingDays: number;
    readonly eligibilityNotes: string;
    readonly offeredAt: string;
  };
}

export interface ServiceRetired {
  readonly type: 'ServiceRetired';
  readonly data: { readonly organisationId: string; readonly serviceId: string; readonly retiredAt: string };
}

export interface MemberAdded {
  readonly type: 'MemberAdded';
  readonly data: {
    readonly organisationId: string;
    readonly userId: string;
    readonly displayName: string;
    readonly roles: readonly Role[];
    readonly addedAt: string;
  };
}

/** How to reach a member (work address, for notifications and invitations) and in which language. */
export interface MemberContactChanged {
  readonly type: 'MemberContactChanged';
  readonly data: {
    readonly organisationId: string;
    readonly userId: string;
    readonly email: string | null;
    readonly language: Language;
    readonly changedAt: string;
  };
}

export interface MemberRemoved {
  readonly type: 'MemberRemoved';
  readonly data: { readonly organisationId: string; readonly userId: string; readonly removedAt: string };
}

export type OrganisationEvent = OrganisationRegistered | ServiceOffered | ServiceRetired | MemberAdded | MemberContactChanged | MemberRemoved;
export type OrganisationEventType = OrganisationEvent['type'];
export const ORGANISATION_EVENT_TYPES: readonly OrganisationEventType[] = [
  'OrganisationRegistered',
  'ServiceOffered',
  'ServiceRetired',
  'MemberAdded',
  'MemberContactChanged',
  'MemberRemoved',
];

export const organisationStream = (organisationId: string): string => `organisation-${organisationId}`;

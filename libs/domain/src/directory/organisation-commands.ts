import type { CommandActor, Role } from '../shared/actor';
import type { NeedCategory, OrganisationKind } from '../shared/vocabulary';

interface Base {
  readonly actor: CommandActor;
  readonly at: string;
}

export interface RegisterOrganisation extends Base {
  readonly type: 'RegisterOrganisation';
  readonly organisationId: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly municipalityCode: string | null;
  readonly region: string | null;
}

export interface OfferService extends Base {
  readonly type: 'OfferService';
  readonly serviceId: string;
  readonly name: string;
  readonly description: string;
  readonly needCategories: readonly NeedCategory[];
  readonly municipalities: readonly string[];
  readonly slaWorkingDays: number;
  readonly eligibilityNotes: string;
}

export interface RetireService extends Base {
  readonly type: 'RetireService';
  readonly serviceId: string;
}

export interface AddMember extends Base {
  readonly type: 'AddMember';
  readonly userId: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
}

export interface RemoveMember extends Base {
  readonly type: 'RemoveMember';
  readonly userId: string;
}

export type OrganisationCommand = RegisterOrganisation | OfferService | RetireService | AddMember | RemoveMember;

import type { CommandActor, Role } from '../shared/actor';
import type { Language, NeedCategory, OrganisationKind } from '../shared/vocabulary';

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
  /** Work e-mail address for notifications; optional. */
  readonly email?: string | null;
  readonly language?: Language;
}

/** A member's e-mail address and language; a member may change their own. */
export interface ChangeMemberContact extends Base {
  readonly type: 'ChangeMemberContact';
  readonly userId: string;
  readonly email: string | null;
  readonly language: Language;
}

export interface RemoveMember extends Base {
  readonly type: 'RemoveMember';
  readonly userId: string;
}

export type OrganisationCommand = RegisterOrganisation | OfferService | RetireService | AddMember | ChangeMemberContact | RemoveMember;

import { hasRole, ROLES, type Role } from '../shared/actor';
import { accept, refuse, unreachable, type Decision } from '../shared/result';
import { isBlank, isEmail, isIsoInstant, isMunicipalityCode, isOrganisationId, MAX_TEXT_LENGTH } from '../shared/validation';
import { LANGUAGES, NEED_CATEGORIES, PARTNER_KINDS, type Language } from '../shared/vocabulary';
import type { OfferService, OrganisationCommand } from './organisation-commands';
import type { OrganisationEvent } from './organisation-events';
import type { OrganisationState } from './organisation-state';

const MAX_SLA_WORKING_DAYS = 60;

/**
 * Directory decisions. Managing the directory is for the programme office (admin); a member may change
 * their own contact details.
 */
export function decideOrganisation(state: OrganisationState, command: OrganisationCommand): Decision<OrganisationEvent> {
  if (!hasRole(command.actor, 'admin') && !isOwnContact(state, command)) return refuse('FORBIDDEN', 'Only an administrator can change the directory');
  if (!isIsoInstant(command.at)) return refuse('BAD_USER_INPUT', 'The command time must be an ISO instant', 'at');
  const at = command.at;

  if (command.type === 'RegisterOrganisation') {
    if (state !== null) return refuse('INVALID_TRANSITION', `Organisation ${command.organisationId} is already registered`);
    if (!isOrganisationId(command.organisationId)) {
      return refuse('BAD_USER_INPUT', 'An organisation id is a lowercase slug such as gm0141-almelo or oost-nl', 'organisationId');
    }
    if (isBlank(command.name) || command.name.length > 200) return refuse('BAD_USER_INPUT', 'A name is required', 'name');
    if (command.kind === 'city') {
      if (command.municipalityCode === null || !isMunicipalityCode(command.municipalityCode)) {
        return refuse('BAD_USER_INPUT', 'A city needs its CBS municipality code, e.g. GM0141', 'municipalityCode');
      }
      if (!command.organisationId.startsWith(`${command.municipalityCode.toLowerCase()}-`)) {
        return refuse('BAD_USER_INPUT', 'A city id starts with its municipality code, e.g. gm0141-almelo', 'organisationId');
      }
    } else {
      if (!PARTNER_KINDS.includes(command.kind)) return refuse('BAD_USER_INPUT', `Unknown organisation kind "${command.kind}"`, 'kind');
      if (command.municipalityCode !== null) return refuse('BAD_USER_INPUT', 'Only cities have a municipality code', 'municipalityCode');
    }
    return accept({
      type: 'OrganisationRegistered',
      data: {
        organisationId: command.organisationId,
        name: command.name.trim(),
        kind: command.kind,
        municipalityCode: command.municipalityCode,
        region: isBlank(command.region) ? null : (command.region as string).trim(),
        registeredAt: at,
      },
    });
  }

  if (state === null) return refuse('NOT_FOUND', 'No organisation with this id is registered');
  const organisationId = state.organisationId;
  switch (command.type) {
    case 'OfferService': {
      if (state.kind === 'city') return refuse('INVALID_TRANSITION', 'Cities refer; only partners offer services');
      const invalid = checkService(command);
      if (invalid) return invalid;
      return accept({
        type: 'ServiceOffered',
        data: {
          organisationId,
          serviceId: command.serviceId,
          name: command.name.trim(),
          description: command.description.trim(),
          needCategories: [...new Set(command.needCategories)],
          municipalities: [...new Set(command.municipalities)].sort(),
          slaWorkingDays: command.slaWorkingDays,
          eligibilityNotes: command.eligibilityNotes.trim(),
          offeredAt: at,
        },
      });
    }
    case 'RetireService': {
      const service = state.services.find((s) => s.serviceId === command.serviceId);
      if (!service) return refuse('NOT_FOUND', 'This organisation offers no service with that id');
      if (!service.active) return refuse('INVALID_TRANSITION', 'The service is already retired');
      return accept({ type: 'ServiceRetired', data: { organisationId, serviceId: command.serviceId, retiredAt: at } });
    }
    case 'AddMember': {
      if (isBlank(command.userId) || command.userId.length > 200) return refuse('BAD_USER_INPUT', 'A user id is required', 'userId');
      if (isBlank(command.displayName)) return refuse('BAD_USER_INPUT', 'A display name is required', 'displayName');
      if (command.roles.length === 0 || command.roles.some((role) => !ROLES.includes(role))) {
        return refuse('BAD_USER_INPUT', `Roles are some of ${ROLES.join(', ')}`, 'roles');
      }
      const misplaced = command.roles.find((role) => !roleFits(role, state.kind === 'city'));
      if (misplaced) {
        return refuse('BAD_USER_INPUT', `The role ${misplaced} does not belong in a ${state.kind === 'city' ? 'city' : 'partner organisation'}`, 'roles');
      }
      const contact = checkContact(command.email ?? null, command.language ?? 'nl');
      if (contact) return contact;
      const added: OrganisationEvent = {
        type: 'MemberAdded',
        data: { organisationId, userId: command.userId, displayName: command.displayName.trim(), roles: [...new Set(command.roles)], addedAt: at },
      };
      if (command.email == null && command.language == null) return accept(added);
      const email = command.email?.trim() || null;
      return accept<OrganisationEvent>(added, {
        type: 'MemberContactChanged',
        data: { organisationId, userId: command.userId, email, language: command.language ?? 'nl', changedAt: at },
      });
    }
    case 'ChangeMemberContact': {
      if (!state.members.some((m) => m.userId === command.userId)) return refuse('NOT_FOUND', 'No such member');
      const contact = checkContact(command.email, command.language);
      if (contact) return contact;
      const email = command.email?.trim() || null;
      return accept({
        type: 'MemberContactChanged',
        data: { organisationId, userId: command.userId, email, language: command.language, changedAt: at },
      });
    }
    case 'RemoveMember':
      if (!state.members.some((m) => m.userId === command.userId)) return refuse('NOT_FOUND', 'No such member');
      return accept({ type: 'MemberRemoved', data: { organisationId, userId: command.userId, removedAt: at } });
    default:
      return unreachable(command);
  }
}

function roleFits(role: Role, isCity: boolean): boolean {
  if (role === 'city_officer') return isCity;
  if (role === 'partner_agent' || role === 'supervisor') return !isCity;
  // Organisation administrators, data-protection officers, auditors and admins belong in any organisation.
  return true;
}

function isOwnContact(state: OrganisationState, command: OrganisationCommand): boolean {
  return (
    command.type === 'ChangeMemberContact' &&
    state !== null &&
    command.actor.organisationId === state.organisationId &&
    command.actor.userId === command.userId
  );
}

function checkContact(email: string | null, language: Language) {
  if (email !== null && !isBlank(email) && !isEmail(email.trim())) return refuse('BAD_USER_INPUT', 'This is not an e-mail address', 'email');
  if (!LANGUAGES.includes(language)) return refuse('BAD_USER_INPUT', `The language is one of ${LANGUAGES.join(', ')}`, 'language');
  return null;
}

function checkService(command: OfferService) {
  if (isBlank(command.serviceId) || !/^[a-z0-9][a-z0-9-]{1,80}$/.test(command.serviceId)) {
    return refuse('BAD_USER_INPUT', 'A service id is a lowercase slug', 'serviceId');
  }
  if (isBlank(command.name) || command.name.length > 200) return refuse('BAD_USER_INPUT', 'A service name is required', 'name');
  for (const field of ['description', 'eligibilityNotes'] as const) {
    if (command[field].length > MAX_TEXT_LENGTH) return refuse('BAD_USER_INPUT', `Texts are at most ${MAX_TEXT_LENGTH} characters`, field);
  }
  if (command.needCategories.length === 0 || command.needCategories.some((need) => !NEED_CATEGORIES.includes(need))) {
    return refuse('BAD_USER_INPUT', `Need categories are some of ${NEED_CATEGORIES.join(', ')}`, 'needCategories');
  }
  if (command.municipalities.some((code) => !isMunicipalityCode(code))) {
    return refuse('BAD_USER_INPUT', 'Municipalities are CBS codes such as GM0141', 'municipalities');
  }
  if (!Number.isInteger(command.slaWorkingDays) || command.slaWorkingDays < 1 || command.slaWorkingDays > MAX_SLA_WORKING_DAYS) {
    return refuse('BAD_USER_INPUT', `The response time is 1 to ${MAX_SLA_WORKING_DAYS} working days`, 'slaWorkingDays');
  }
  return null;
}

import type { CommandActor } from '../shared/actor';
import { PARTNER_KINDS } from '../shared/vocabulary';
import { emittedEvents, givenWhenThen } from '../testing/given-when-then';
import { decideOrganisation } from './decide-organisation';
import type { AddMember, ChangeMemberContact, OfferService, OrganisationCommand, RegisterOrganisation, RemoveMember, RetireService } from './organisation-commands';
import { ORGANISATION_EVENT_TYPES, type OrganisationEvent, type OrganisationRegistered, type ServiceOffered } from './organisation-events';
import { evolveOrganisation, type OrganisationState } from './organisation-state';

const directory = givenWhenThen<OrganisationState, OrganisationCommand, OrganisationEvent>({
  decide: decideOrganisation,
  evolve: evolveOrganisation,
  initialState: null,
});

const AT = '2026-03-02T10:00:00.000Z';
const LATER = '2026-03-09T10:00:00.000Z';
const admin: CommandActor = { userId: 'admin-programme', organisationId: 'koppelstuk', roles: ['admin'] };

const registerCity = (o: Partial<RegisterOrganisation> = {}): RegisterOrganisation => ({
  type: 'RegisterOrganisation',
  actor: admin,
  at: AT,
  organisationId: 'gm0141-almelo',
  name: 'Gemeente Almelo',
  kind: 'city',
  municipalityCode: 'GM0141',
  region: 'Twente',
  ...o,
});
const registerPartner = (o: Partial<RegisterOrganisation> = {}): RegisterOrganisation => ({
  type: 'RegisterOrganisation',
  actor: admin,
  at: AT,
  organisationId: 'oost-nl',
  name: 'Oost NL',
  kind: 'rom',
  municipalityCode: null,
  region: null,
  ...o,
});
const offerService = (o: Partial<OfferService> = {}): OfferService => ({
  type: 'OfferService',
  actor: admin,
  at: LATER,
  serviceId: 'innovatiekrediet',
  name: 'Innovatiekrediet',
  description: 'Krediet voor risicovolle innovatieprojecten',
  needCategories: ['innovation', 'financing'],
  municipalities: ['GM0153', 'GM0141'],
  slaWorkingDays: 10,
  eligibilityNotes: 'MKB met een technisch vernieuwend product',
  ...o,
});
const retireService = (o: Partial<RetireService> = {}): RetireService => ({ type: 'RetireService', actor: admin, at: LATER, serviceId: 'innovatiekrediet', ...o });
const addMember = (o: Partial<AddMember> = {}): AddMember => ({
  type: 'AddMember', actor: admin, at: LATER, userId: 'agent-1', displayName: 'Jan Jansen', roles: ['partner_agent'], ...o,
});
const removeMember = (o: Partial<RemoveMember> = {}): RemoveMember => ({ type: 'RemoveMember', actor: admin, at: LATER, userId: 'agent-1', ...o });
const changeContact = (o: Partial<ChangeMemberContact> = {}): ChangeMemberContact => ({
  type: 'ChangeMemberContact', actor: admin, at: LATER, userId: 'agent-1', email: 'jan@oost.example', language: 'en', ...o,
});

const cityRegistered: OrganisationRegistered = {
  type: 'OrganisationRegistered',
  data: { organisationId: 'gm0141-almelo', name: 'Gemeente Almelo', kind: 'city', municipalityCode: 'GM0141', region: 'Twente', registeredAt: AT },
};
const romRegistered: OrganisationRegistered = {
  type: 'OrganisationRegistered',
  data: { organisationId: 'oost-nl', name: 'Oost NL', kind: 'rom', municipalityCode: null, region: null, registeredAt: AT },
};
const creditOffered: ServiceOffered = {
  type: 'ServiceOffered',
  data: {
    organisationId: 'oost-nl',
    serviceId: 'innovatiekrediet',
    name: 'Innovatiekrediet',
    description: 'Krediet voor risicovolle innovatieprojecten',
    needCategories: ['innovation', 'financing'],
    municipalities: ['GM0141', 'GM0153'],
    slaWorkingDays: 10,
    eligibilityNotes: 'MKB met een technisch vernieuwend product',
    offeredAt: LATER,
  },
};
const agentAdded: OrganisationEvent = {
  type: 'MemberAdded',
  data: { organisationId: 'oost-nl', userId: 'agent-1', displayName: 'Jan Jansen', roles: ['partner_agent'], addedAt: LATER },
};

describe('RegisterOrganisation', () => {
  it('given nothing, when an admin registers a city with its CBS code, then OrganisationRegistered', () => {
    const { state } = directory.given([]).when(registerCity()).then([cityRegistered]);
    expect(state).toEqual({ organisationId: 'gm0141-almelo', name: 'Gemeente Almelo', kind: 'city', municipalityCode: 'GM0141', region: 'Twente', services: [], members: [] });
  });
  it('trims the name and region; a blank region is null', () => {
    directory
      .given([])
      .when(registerCity({ name: '  Gemeente Almelo ', region: '   ' }))
      .then([{ ...cityRegistered, data: { ...cityRegistered.data, region: null } }]);
    directory
      .given([])
      .when(registerCity({ region: ' Twente ' }))
      .then([cityRegistered]);
  });
  it.each([null, 'gm0141', 'GM141', 'GM01410', '0141', 'GX0141'])('refuses city municipality code %p', (municipalityCode) => {
    directory.given([]).when(registerCity({ municipalityCode })).thenError({ code: 'BAD_USER_INPUT', field: 'municipalityCode' });
  });
  it.each(['gm0153-almelo', 'almelo', 'gm0141almelo', 'almelo-gm0141'])('refuses city id %p: it must start with its own code', (organisationId) => {
    directory.given([]).when(registerCity({ organisationId })).thenError({ code: 'BAD_USER_INPUT', field: 'organisationId' });
  });
  it.each(['GM0141-Almelo', 'gm0141 almelo', '-oost-nl', 'a', 'x'.repeat(64), 'oost_nl'])('refuses organisation id %p: not a lowercase slug', (organisationId) => {
    directory.given([]).when(registerPartner({ organisationId })).thenError({ code: 'BAD_USER_INPUT', field: 'organisationId' });
  });
  it.each(PARTNER_KINDS)('registers a partner of kind %s without a municipality code', (kind) => {
    directory
      .given([])
      .when(registerPartner({ kind }))
      .then([{ ...romRegistered, data: { ...romRegistered.data, kind } }]);
  });
  it('refuses an unknown kind', () => {
    directory.given([]).when(registerPartner({ kind: 'church' as never })).thenError({ code: 'BAD_USER_INPUT', field: 'kind' });
  });
  it('refuses a municipality code on a partner', () => {
    directory.given([]).when(registerPartner({ municipalityCode: 'GM0141' })).thenError({ code: 'BAD_USER_INPUT', field: 'municipalityCode' });
  });
  it.each(['', '   ', 'x'.repeat(201)])('refuses name %p', (name) => {
    directory.given([]).when(registerPartner({ name })).thenError({ code: 'BAD_USER_INPUT', field: 'name' });
  });
  it('given registered, when registered again, then INVALID_TRANSITION', () => {
    directory.given([romRegistered]).when(registerPartner()).thenError({ code: 'INVALID_TRANSITION' });
  });
  it('refuses a command time that is not an ISO instant', () => {
    directory.given([]).when(registerPartner({ at: '2026-03-02' })).thenError({ code: 'BAD_USER_INPUT', field: 'at' });
  });
});

describe('OfferService', () => {
  it('given a partner, when an admin offers a service, then ServiceOffered with municipalities sorted and categories de-duplicated', () => {
    const { state } = directory
      .given([romRegistered])
      .when(offerService({ needCategories: ['innovation', 'financing', 'innovation'], municipalities: ['GM0153', 'GM0141', 'GM0153'], name: ' Innovatiekrediet ' }))
      .then([creditOffered]);
    const { offeredAt: _offeredAt, ...service } = creditOffered.data;
    expect(state?.services).toEqual([{ ...service, active: true }]);
  });
  it('accepts an empty municipality list (offered everywhere) and empty texts', () => {
    directory
      .given([romRegistered])
      .when(offerService({ municipalities: [], description: '', eligibilityNotes: '' }))
      .then([{ ...creditOffered, data: { ...creditOffered.data, municipalities: [], description: '', eligibilityNotes: '' } }]);
  });
  it('given an offered service, when offered again with another SLA and area, then the service is updated, not duplicated', () => {
    const { state } = directory
      .given([romRegistered, creditOffered])
      .when(offerService({ slaWorkingDays: 15, municipalities: [] }))
      .thenOk();
    expect(state?.services).toHaveLength(1);
    expect(state?.services[0]).toMatchObject({ serviceId: 'innovatiekrediet', slaWorkingDays: 15, municipalities: [], active: true });
  });
  it('given a retired service, when offered again, then it is active again', () => {
    const retired: OrganisationEvent = { type: 'ServiceRetired', data: { organisationId: 'oost-nl', serviceId: 'innovatiekrediet', retiredAt: LATER } };
    const { state } = directory.given([romRegistered, creditOffered, retired]).when(offerService()).thenOk();
    expect(state?.services).toEqual([expect.objectContaining({ serviceId: 'innovatiekrediet', active: true })]);
  });
  it('given a city, then INVALID_TRANSITION: cities do not offer services', () => {
    directory.given([cityRegistered]).when(offerService()).thenError({ code: 'INVALID_TRANSITION' });
  });
  it('given no organisation, then NOT_FOUND', () => {
    directory.given([]).when(offerService()).thenError({ code: 'NOT_FOUND' });
  });
  it.each(['', 'Innovatiekrediet', 'i', 'krediet_1', '-krediet'])('refuses service id %p', (serviceId) => {
    directory.given([romRegistered]).when(offerService({ serviceId })).thenError({ code: 'BAD_USER_INPUT', field: 'serviceId' });
  });
  it.each(['', ' ', 'x'.repeat(201)])('refuses service name %p', (name) => {
    directory.given([romRegistered]).when(offerService({ name })).thenError({ code: 'BAD_USER_INPUT', field: 'name' });
  });
  it('refuses a description longer than 4000 characters', () => {
    directory.given([romRegistered]).when(offerService({ description: 'x'.repeat(4001) })).thenError({ code: 'BAD_USER_INPUT', field: 'description' });
  });
  it('refuses eligibility notes longer than 4000 characters, naming that field', () => {
    directory.given([romRegistered]).when(offerService({ eligibilityNotes: 'x'.repeat(4001) })).thenError({ code: 'BAD_USER_INPUT', field: 'eligibilityNotes' });
  });
  it.each([[[]], [['financing', 'wellbeing']]])('refuses need categories %j', (needCategories) => {
    directory
      .given([romRegistered])
      .when(offerService({ needCategories: needCategories as never }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'needCategories' });
  });
  it.each([[['GM141']], [['gm0141']], [['0141']]])('refuses municipalities %j', (municipalities) => {
    directory.given([romRegistered]).when(offerService({ municipalities })).thenError({ code: 'BAD_USER_INPUT', field: 'municipalities' });
  });
  it.each([0, -1, 61, 2.5, Number.NaN])('refuses an SLA of %p working days', (slaWorkingDays) => {
    directory.given([romRegistered]).when(offerService({ slaWorkingDays })).thenError({ code: 'BAD_USER_INPUT', field: 'slaWorkingDays' });
  });
  it.each([1, 60])('accepts an SLA of %p working days', (slaWorkingDays) => {
    directory.given([romRegistered]).when(offerService({ slaWorkingDays })).thenOk();
  });
});

describe('RetireService', () => {
  it('given an offered service, when retired, then ServiceRetired and inactive', () => {
    const { state } = directory
      .given([romRegistered, creditOffered])
      .when(retireService())
      .then([{ type: 'ServiceRetired', data: { organisationId: 'oost-nl', serviceId: 'innovatiekrediet', retiredAt: LATER } }]);
    expect(state?.services[0]?.active).toBe(false);
  });
  it('given an unknown service, then NOT_FOUND', () => {
    directory.given([romRegistered, creditOffered]).when(retireService({ serviceId: 'bedrijfsfinanciering' })).thenError({ code: 'NOT_FOUND' });
  });
  it('given a retired service, then INVALID_TRANSITION', () => {
    const retired: OrganisationEvent = { type: 'ServiceRetired', data: { organisationId: 'oost-nl', serviceId: 'innovatiekrediet', retiredAt: LATER } };
    directory.given([romRegistered, creditOffered, retired]).when(retireService()).thenError({ code: 'INVALID_TRANSITION' });
  });
});

describe('AddMember and RemoveMember', () => {
  it('given a partner, when an agent is added, then MemberAdded', () => {
    const { state } = directory.given([romRegistered]).when(addMember({ displayName: ' Jan Jansen ' })).then([agentAdded]);
    expect(state?.members).toEqual([{ userId: 'agent-1', displayName: 'Jan Jansen', roles: ['partner_agent'], email: null, language: 'nl' }]);
  });
  it('given a partner, when a member is added with an e-mail address, then MemberAdded and MemberContactChanged', () => {
    const { state } = directory
      .given([romRegistered])
      .when(addMember({ email: ' jan@oost.example ' }))
      .then([agentAdded, { type: 'MemberContactChanged', data: { organisationId: 'oost-nl', userId: 'agent-1', email: 'jan@oost.example', language: 'nl', changedAt: LATER } }]);
    expect(state?.members[0]).toMatchObject({ email: 'jan@oost.example', language: 'nl' });
  });
  it.each(['jan', 'jan@', 'a b@c.nl', `${'x'.repeat(250)}@c.nl`])('refuses the e-mail address %p', (email) => {
    directory.given([romRegistered]).when(addMember({ email })).thenError({ code: 'BAD_USER_INPUT', field: 'email' });
  });
  it('refuses an unknown language', () => {
    directory.given([romRegistered]).when(addMember({ language: 'de' as never })).thenError({ code: 'BAD_USER_INPUT', field: 'language' });
  });
  it.each([
    ['a partner', 'supervisor', romRegistered],
    ['a partner', 'org_admin', romRegistered],
    ['a city', 'org_admin', cityRegistered],
    ['a city', 'dpo', cityRegistered],
  ] as const)('%s may have a member with role %s', (_kind, role, registered) => {
    directory.given([registered]).when(addMember({ roles: [role] })).thenOk();
  });
  it.each([
    ['a city', 'city_officer', cityRegistered],
    ['a city', 'auditor', cityRegistered],
    ['a city', 'admin', cityRegistered],
    ['a partner', 'partner_agent', romRegistered],
    ['a partner', 'auditor', romRegistered],
    ['a partner', 'admin', romRegistered],
  ] as const)('%s may have a member with role %s', (_kind, role, registered) => {
    directory.given([registered]).when(addMember({ roles: [role] })).thenOk();
  });
  it.each([
    ['a city', 'partner_agent', cityRegistered],
    ['a partner', 'city_officer', romRegistered],
    ['a city', 'supervisor', cityRegistered],
  ] as const)('%s may not have a member with role %s', (_kind, role, registered) => {
    directory.given([registered]).when(addMember({ roles: ['auditor', role] })).thenError({ code: 'BAD_USER_INPUT', field: 'roles' });
  });
  it('refuses no roles and unknown roles', () => {
    directory.given([romRegistered]).when(addMember({ roles: [] })).thenError({ code: 'BAD_USER_INPUT', field: 'roles' });
    directory.given([romRegistered]).when(addMember({ roles: ['superuser' as never] })).thenError({ code: 'BAD_USER_INPUT', field: 'roles' });
  });
  it('de-duplicates roles', () => {
    directory
      .given([romRegistered])
      .when(addMember({ roles: ['partner_agent', 'partner_agent'] }))
      .then([agentAdded]);
  });
  it.each(['', '  ', 'x'.repeat(201)])('refuses user id %p', (userId) => {
    directory.given([romRegistered]).when(addMember({ userId })).thenError({ code: 'BAD_USER_INPUT', field: 'userId' });
  });
  it('refuses an empty display name', () => {
    directory.given([romRegistered]).when(addMember({ displayName: ' ' })).thenError({ code: 'BAD_USER_INPUT', field: 'displayName' });
  });
  it('adding a member again replaces their roles', () => {
    const { state } = directory.given([romRegistered, agentAdded]).when(addMember({ roles: ['partner_agent', 'auditor'] })).thenOk();
    expect(state?.members).toEqual([{ userId: 'agent-1', displayName: 'Jan Jansen', roles: ['partner_agent', 'auditor'], email: null, language: 'nl' }]);
  });
  it('adding a member again keeps their contact details', () => {
    const contact: OrganisationEvent = {
      type: 'MemberContactChanged',
      data: { organisationId: 'oost-nl', userId: 'agent-1', email: 'jan@oost.example', language: 'en', changedAt: LATER },
    };
    const { state } = directory.given([romRegistered, agentAdded, contact]).when(addMember({ roles: ['supervisor'] })).thenOk();
    expect(state?.members[0]).toMatchObject({ roles: ['supervisor'], email: 'jan@oost.example', language: 'en' });
  });
  it('given a member, when removed, then MemberRemoved', () => {
    const { state } = directory
      .given([romRegistered, agentAdded])
      .when(removeMember())
      .then([{ type: 'MemberRemoved', data: { organisationId: 'oost-nl', userId: 'agent-1', removedAt: LATER } }]);
    expect(state?.members).toEqual([]);
  });
  it('given no such member, when removed, then NOT_FOUND', () => {
    directory.given([romRegistered, agentAdded]).when(removeMember({ userId: 'agent-2' })).thenError({ code: 'NOT_FOUND' });
  });
});

describe('ChangeMemberContact', () => {
  const self: CommandActor = { userId: 'agent-1', organisationId: 'oost-nl', roles: ['partner_agent'] };
  it('given a member, when they change their own contact, then MemberContactChanged', () => {
    const { state } = directory
      .given([romRegistered, agentAdded])
      .when(changeContact({ actor: self }))
      .then([{ type: 'MemberContactChanged', data: { organisationId: 'oost-nl', userId: 'agent-1', email: 'jan@oost.example', language: 'en', changedAt: LATER } }]);
    expect(state?.members[0]).toMatchObject({ email: 'jan@oost.example', language: 'en' });
  });
  it('a blank address clears it', () => {
    directory
      .given([romRegistered, agentAdded])
      .when(changeContact({ email: '  ', language: 'nl' }))
      .then([{ type: 'MemberContactChanged', data: { organisationId: 'oost-nl', userId: 'agent-1', email: null, language: 'nl', changedAt: LATER } }]);
  });
  it('a member of another organisation with the same user id may not change it', () => {
    directory.given([romRegistered, agentAdded]).when(changeContact({ actor: { ...self, organisationId: 'bom' } })).thenError({ code: 'FORBIDDEN' });
  });
  it('another member may not change it', () => {
    directory.given([romRegistered, agentAdded]).when(changeContact({ actor: { ...self, userId: 'agent-2' } })).thenError({ code: 'FORBIDDEN' });
  });
  it('given no such member, then NOT_FOUND', () => {
    directory.given([romRegistered, agentAdded]).when(changeContact({ userId: 'agent-2' })).thenError({ code: 'NOT_FOUND' });
  });
  it('refuses a malformed address', () => {
    directory.given([romRegistered, agentAdded]).when(changeContact({ email: 'nope' })).thenError({ code: 'BAD_USER_INPUT', field: 'email' });
  });
});

describe('only admins change the directory', () => {
  const others: readonly [string, CommandActor][] = [
    ['a city officer', { userId: 'officer', organisationId: 'gm0141-almelo', roles: ['city_officer'] }],
    ['a partner agent of the organisation', { userId: 'agent-1', organisationId: 'oost-nl', roles: ['partner_agent'] }],
    ['an auditor', { userId: 'auditor', organisationId: 'rekenkamer-almelo', roles: ['auditor'] }],
    ['the system', { userId: 'system', organisationId: 'koppelstuk', roles: [] }],
  ];
  const commands: readonly [string, readonly OrganisationEvent[], OrganisationCommand][] = [
    ['RegisterOrganisation', [], registerPartner()],
    ['OfferService', [romRegistered], offerService()],
    ['RetireService', [romRegistered, creditOffered], retireService()],
    ['AddMember', [romRegistered], addMember()],
    ['RemoveMember', [romRegistered, agentAdded], removeMember()],
    // Another member's contact: a member may change only their own (tested above).
    ['ChangeMemberContact', [romRegistered, agentAdded, { ...agentAdded, data: { ...agentAdded.data, userId: 'agent-2' } }], changeContact({ userId: 'agent-2' })],
  ];
  it.each(commands.flatMap(([name, given, command]) => others.map(([who, actor]) => [name, who, given, command, actor] as const)))(
    '%s by %s: FORBIDDEN',
    (_name, _who, given, command, actor) => {
      directory.given(given).when({ ...command, actor }).thenError({ code: 'FORBIDDEN' });
    },
  );
  it.each(commands)('%s by an admin: accepted', (_name, given, command) => {
    directory.given(given).when(command).thenOk();
  });
});

describe('contracts', () => {
  it('every organisation event type was emitted above and matched its schema', () => {
    expect([...new Set(emittedEvents.map((e) => e.type))].sort()).toEqual([...ORGANISATION_EVENT_TYPES].sort());
  });
});

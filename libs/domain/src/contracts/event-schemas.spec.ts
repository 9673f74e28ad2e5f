/**
 * The event contracts in schema/events: one JSON Schema (2020-12) per event type, describing `data` as stored,
 * personal data sealed. The given/when/then helper checks every event the deciders emit against these; this
 * file checks the contracts themselves, and that they refuse what the log must never hold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_EVENT_TYPES } from '../events';
import {
  DECLINE_REASONS,
  NEED_CATEGORIES,
  OUTCOME_CODES,
  PARTNER_KINDS,
  SIZE_CLASSES,
} from '../shared/vocabulary';
import { ROLES } from '../shared/actor';
import {
  contractErrors,
  EVENT_SCHEMA_DIR,
  loadEventContracts,
  SEALED_SCHEMA_FILE,
  sealedEnvelope,
  storedData,
  type AnyEvent,
} from '../testing/event-contracts';
import {
  outcomeRecorded,
  referralDeclined,
  referralMade,
  REFERRAL_ID,
  SUBJECT_ID,
} from '../testing/referral-fixtures';

type JsonSchema = Record<string, unknown> & { properties: Record<string, Record<string, unknown>>; required: string[] };
const schemaOf = (type: string): JsonSchema => JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, `${type}.v1.schema.json`), 'utf8'));

const PERSONAL_EVENT_TYPES = [
  'ReferralMade',
  'ReferralDeclined',
  'InformationRequested',
  'InformationProvided',
  'ReferralForwarded',
  'ReferralWithdrawn',
  'OutcomeRecorded',
  'ConsentGiven',
];
// Texts of later steps: optional, or dropped because the person's data was erased (no key to seal with).
const NULLABLE_PERSONAL = ['ReferralDeclined', 'InformationRequested', 'InformationProvided', 'ReferralForwarded', 'ReferralWithdrawn', 'OutcomeRecorded'];
const SEALED_REF = { $ref: SEALED_SCHEMA_FILE };

const valid = (type: string, data: unknown): void => expect(contractErrors(type, data)).toBeNull();
const invalid = (type: string, data: unknown): void => expect(contractErrors(type, data)).not.toBeNull();

describe('event schemas', () => {
  it('load and compile with Ajv 2020 in strict mode, with formats', () => {
    expect(loadEventContracts().validators.size).toBe(DOMAIN_EVENT_TYPES.length);
  });

  it('exist exactly once per domain event type, and no others', () => {
    expect(DOMAIN_EVENT_TYPES).toHaveLength(20);
    expect(loadEventContracts().files).toEqual(DOMAIN_EVENT_TYPES.map((type) => `${type}.v1.schema.json`).sort());
  });

  it.each(DOMAIN_EVENT_TYPES)('%s: draft 2020-12, its own $id, closed, every property required', (type) => {
    const schema = schemaOf(type);
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(String(schema['$id']).endsWith(`/${type}.v1.schema.json`)).toBe(true);
    expect(schema['type']).toBe('object');
    expect(schema['additionalProperties']).toBe(false);
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
  });

  it.each(DOMAIN_EVENT_TYPES)('%s: `personal` is a sealed envelope exactly when the event carries personal data', (type) => {
    const personal = schemaOf(type).properties['personal'];
    if (!PERSONAL_EVENT_TYPES.includes(type)) {
      expect(personal).toBeUndefined();
      return;
    }
    const { description: _description, ...shape } = personal as Record<string, unknown>;
    expect(shape).toEqual(NULLABLE_PERSONAL.includes(type) ? { anyOf: [SEALED_REF, { type: 'null' }] } : SEALED_REF);
  });

  it('copy the coded vocabularies exactly', () => {
    const made = schemaOf('ReferralMade').properties;
    expect(made['needCategory']?.['enum']).toEqual(NEED_CATEGORIES);
    expect(made['partnerKind']?.['enum']).toEqual(PARTNER_KINDS);
    expect((made['entrepreneur']?.['properties'] as Record<string, Record<string, unknown>>)['sizeClass']?.['enum']).toEqual(SIZE_CLASSES);
    expect(schemaOf('ReferralDeclined').properties['reason']?.['enum']).toEqual(DECLINE_REASONS);
    expect(schemaOf('OutcomeRecorded').properties['code']?.['enum']).toEqual(OUTCOME_CODES);
    expect(schemaOf('OrganisationRegistered').properties['kind']?.['enum']).toEqual(['city', ...PARTNER_KINDS]);
    expect((schemaOf('ServiceOffered').properties['needCategories']?.['items'] as Record<string, unknown>)['enum']).toEqual(NEED_CATEGORIES);
    expect((schemaOf('MemberAdded').properties['roles']?.['items'] as Record<string, unknown>)['enum']).toEqual(ROLES);
  });
});

describe('sealed personal data', () => {
  const made = referralMade();
  const stored = storedData(made);

  it('a ReferralMade as stored (personal sealed) conforms', () => {
    valid('ReferralMade', stored);
    expect(stored['personal']).toMatchObject({ alg: 'A256GCM', subjectId: SUBJECT_ID });
  });

  it('plaintext personal data is refused: the log holds ciphertext only', () => {
    invalid('ReferralMade', made.data);
    invalid('ConsentGiven', { ...storedData(consentGivenSample()), personal: { givenBy: 'Anna de Vries' } });
  });

  const envelope = sealedEnvelope({ text: 'x' }, SUBJECT_ID);
  it.each([
    ['another algorithm', { ...envelope, alg: 'A128GCM' }],
    ['a subject id that is not a UUID', { ...envelope, subjectId: 'anna' }],
    ['a 16-byte iv', { ...envelope, iv: Buffer.alloc(16).toString('base64') }],
    ['a 12-byte tag', { ...envelope, tag: Buffer.alloc(12).toString('base64') }],
    ['ciphertext that is not base64', { ...envelope, ciphertext: 'not base64!' }],
    ['empty ciphertext', { ...envelope, ciphertext: '' }],
    ['no tag', (({ tag: _tag, ...rest }) => rest)(envelope)],
    ['an extra field', { ...envelope, plaintext: 'Anna' }],
  ])('an envelope with %s is refused', (_name, personal) => {
    invalid('ReferralMade', { ...stored, personal });
  });

  it('null personal data is allowed only where the domain allows it', () => {
    valid('ReferralForwarded', storedData({ type: 'ReferralForwarded', data: { referralId: REFERRAL_ID, toReferralId: SUBJECT_ID, toPartnerId: 'oost-nl', toServiceId: 'innovatiekrediet', forwardedAt: '2026-04-21T09:00:00.000Z', personal: null } }));
    invalid('ReferralMade', { ...stored, personal: null });
    valid('InformationRequested', { referralId: REFERRAL_ID, requestedAt: '2026-04-21T09:00:00.000Z', personal: null });
    invalid('ConsentGiven', { ...storedData(consentGivenSample()), personal: null });
  });
});

describe('malformed events are refused', () => {
  const outcome = storedData(outcomeRecorded());
  const made = storedData(referralMade());
  const entrepreneur = made['entrepreneur'] as Record<string, unknown>;

  it('the samples themselves conform', () => {
    valid('OutcomeRecorded', outcome);
    valid('ReferralMade', made);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['an unknown outcome code', 'OutcomeRecorded', { ...outcome, code: 'great_success' }],
    ['an extra field', 'OutcomeRecorded', { ...outcome, remark: 'extra' }],
    ['a missing field', 'OutcomeRecorded', (({ occurredAt: _o, ...rest }) => rest)(outcome)],
    ['financing granted without an amount', 'OutcomeRecorded', { ...outcome, amountCents: null }],
    ['advice given with an amount', 'OutcomeRecorded', { ...outcome, code: 'advice_given', amountCents: 100 }],
    ['a fractional amount', 'OutcomeRecorded', { ...outcome, amountCents: 12.5 }],
    ['negative jobs', 'OutcomeRecorded', { ...outcome, jobsCreated: -1 }],
    ['a date without time', 'OutcomeRecorded', { ...outcome, occurredAt: '2026-05-01' }],
    ['a time with an offset instead of UTC', 'OutcomeRecorded', { ...outcome, occurredAt: '2026-05-01T14:00:00+02:00' }],
    ['a referral id that is not a UUID', 'OutcomeRecorded', { ...outcome, referralId: 'referral-1' }],
    ['a 7-digit KvK number', 'ReferralMade', { ...made, entrepreneur: { ...entrepreneur, kvkNumber: '1234567' } }],
    ['KvK number 00000000', 'ReferralMade', { ...made, entrepreneur: { ...entrepreneur, kvkNumber: '00000000' } }],
    ['an e-mail address in the entrepreneur', 'ReferralMade', { ...made, entrepreneur: { ...entrepreneur, contactEmail: 'anna@x.nl' } }],
    ['a city id without CBS code', 'ReferralMade', { ...made, cityId: 'almelo' }],
    ['an unknown need category', 'ReferralMade', { ...made, needCategory: 'wellbeing' }],
    ['an SLA of 0 days', 'ReferralMade', { ...made, slaWorkingDays: 0 }],
  ])('%s', (_name, type, data) => {
    invalid(type, data);
  });

  it('a decline with reason other needs its (sealed) text', () => {
    const declined = referralDeclined();
    valid('ReferralDeclined', storedData(declined));
    invalid('ReferralDeclined', storedData({ ...declined, data: { ...declined.data, reason: 'other', personal: null } }));
    valid('ReferralDeclined', storedData({ ...declined, data: { ...declined.data, reason: 'other', personal: { text: 'Anders' } } }));
  });

  it('a city is registered with its CBS code and an id that starts with it; a partner without a code', () => {
    const city = { organisationId: 'gm0141-almelo', name: 'Gemeente Almelo', kind: 'city', municipalityCode: 'GM0141', region: null, registeredAt: '2026-03-02T10:00:00.000Z' };
    valid('OrganisationRegistered', city);
    invalid('OrganisationRegistered', { ...city, municipalityCode: 'gm0141' });
    invalid('OrganisationRegistered', { ...city, municipalityCode: null });
    invalid('OrganisationRegistered', { ...city, organisationId: 'almelo' });
    const partner = { ...city, organisationId: 'oost-nl', name: 'Oost NL', kind: 'rom', municipalityCode: null };
    valid('OrganisationRegistered', partner);
    invalid('OrganisationRegistered', { ...partner, municipalityCode: 'GM0141' });
    invalid('OrganisationRegistered', { ...partner, organisationId: 'Oost NL' });
    invalid('OrganisationRegistered', { ...partner, kind: 'church' });
  });
});

function consentGivenSample(): AnyEvent {
  return {
    type: 'ConsentGiven',
    data: {
      subjectId: SUBJECT_ID,
      consentId: '4fad905c-7b6e-4dbf-80d1-4c5d6e7f8091',
      cityId: 'gm0141-almelo',
      partnerId: 'rabobank-twente',
      purpose: 'Doorverwijzing',
      givenAt: '2026-04-20T08:00:00.000Z',
      expiresAt: '2027-04-20T00:00:00.000Z',
      anonymousStatistics: true,
      personal: { givenBy: 'Anna de Vries' },
    },
  };
}

import { instantMs, isIsoInstant, isKvkNumber, isMunicipalityCode, isOrganisationId } from './validation';

describe('isIsoInstant', () => {
  it.each(['2026-04-20T09:00:00Z', '2026-04-20T09:00:00.5Z', '2026-04-20T09:00:00.123Z', '2028-02-29T00:00:00.000Z'])('accepts %p', (value) => {
    expect(isIsoInstant(value)).toBe(true);
  });
  it.each([
    '2026-04-20',
    '2026-04-20T09:00:00',
    '2026-04-20T11:00:00+02:00',
    '2026-04-20T09:00:00.1234Z',
    '2026-02-30T10:00:00Z',
    '2027-02-29T00:00:00.000Z',
    '2026-04-31T10:00:00Z',
    '2026-04-20T24:00:00Z',
    '2026-04-20T09:60:00Z',
    '2026-13-01T00:00:00Z',
  ])('refuses %p', (value) => {
    expect(isIsoInstant(value)).toBe(false);
  });
});

describe('instantMs', () => {
  it('orders instants by time, whatever the number of fraction digits', () => {
    expect(instantMs('2026-04-28T21:59:59Z')).toBeLessThan(instantMs('2026-04-28T21:59:59.999Z'));
    expect(instantMs('2026-04-28T21:59:59.5Z')).toBe(instantMs('2026-04-28T21:59:59.500Z'));
  });
});

describe('identifiers', () => {
  it('KvK numbers are 8 digits, not all zero', () => {
    expect(isKvkNumber('69599084')).toBe(true);
    expect(isKvkNumber('00000000')).toBe(false);
    expect(isKvkNumber('6959908')).toBe(false);
  });
  it('CBS municipality codes are GM and four digits', () => {
    expect(isMunicipalityCode('GM0141')).toBe(true);
    expect(isMunicipalityCode('gm0141')).toBe(false);
  });
  it('organisation ids are lowercase slugs of 2 to 63 characters', () => {
    expect(isOrganisationId('gm0141-almelo')).toBe(true);
    expect(isOrganisationId('x'.repeat(63))).toBe(true);
    expect(isOrganisationId('x'.repeat(64))).toBe(false);
    expect(isOrganisationId('Oost-NL')).toBe(false);
  });
});

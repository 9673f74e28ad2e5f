import { ORGANISATION_EVENT_TYPES } from './directory/organisation-events';
import { CURRENT_SCHEMA_VERSION, DOMAIN_EVENT_TYPES, isDomainEventType, upcast, type Upcaster } from './events';
import { REFERRAL_EVENT_TYPES } from './referral/referral-events';
import { SUBJECT_EVENT_TYPES } from './subject/subject-events';

describe('domain event types', () => {
  it('are the 20 referral, organisation and subject events, each once', () => {
    expect(DOMAIN_EVENT_TYPES).toEqual([...REFERRAL_EVENT_TYPES, ...ORGANISATION_EVENT_TYPES, ...SUBJECT_EVENT_TYPES]);
    expect(DOMAIN_EVENT_TYPES).toHaveLength(20);
    expect(new Set(DOMAIN_EVENT_TYPES).size).toBe(20);
  });
  it('are all written at schema version 1 today', () => {
    expect(Object.keys(CURRENT_SCHEMA_VERSION).sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
    expect(new Set(Object.values(CURRENT_SCHEMA_VERSION))).toEqual(new Set([1]));
  });
  it('isDomainEventType knows them and nothing else', () => {
    expect(DOMAIN_EVENT_TYPES.every(isDomainEventType)).toBe(true);
    expect(isDomainEventType('ReferralDeleted')).toBe(false);
    expect(isDomainEventType('referralmade')).toBe(false);
  });
});

describe('upcast', () => {
  // A fake history of OutcomeRecorded: v1 had `amount` in euros, v2 renamed it to amountCents (×100), v3 added a currency.
  const v1ToV2: Upcaster = ({ amount, ...rest }) => ({ ...rest, amountCents: typeof amount === 'number' ? Math.round(amount * 100) : null });
  const v2ToV3: Upcaster = (data) => ({ ...data, currency: 'amountCents' in data ? 'EUR' : 'unknown' });
  const table = { OutcomeRecorded: { 1: v1ToV2, 2: v2ToV3 } };

  it('applies the chain v1 → v2 → v3 in order', () => {
    expect(upcast('OutcomeRecorded', 1, { outcomeId: 'o-1', amount: 2500.5 }, table)).toEqual({ outcomeId: 'o-1', amountCents: 250050, currency: 'EUR' });
  });
  it('starts at the version the event was written with', () => {
    expect(upcast('OutcomeRecorded', 2, { outcomeId: 'o-1', amountCents: 7 }, table)).toEqual({ outcomeId: 'o-1', amountCents: 7, currency: 'EUR' });
  });
  it('leaves an event already at the latest version unchanged (the same object)', () => {
    const latest = { outcomeId: 'o-1', amountCents: 7, currency: 'EUR' };
    expect(upcast('OutcomeRecorded', 3, latest, table)).toBe(latest);
  });
  it('leaves other event types unchanged', () => {
    const data = { referralId: 'r-1', amount: 1 };
    expect(upcast('ReferralAccepted', 1, data, table)).toBe(data);
    expect(upcast('SomethingElse', 1, data, table)).toBe(data);
  });
  it('does not mutate the stored data', () => {
    const stored = { outcomeId: 'o-1', amount: 10 };
    upcast('OutcomeRecorded', 1, stored, table);
    expect(stored).toEqual({ outcomeId: 'o-1', amount: 10 });
  });
  it('with the real table, every current event passes through unchanged', () => {
    for (const type of DOMAIN_EVENT_TYPES) {
      const data = { marker: type };
      expect(upcast(type, CURRENT_SCHEMA_VERSION[type], data)).toBe(data);
    }
  });
});

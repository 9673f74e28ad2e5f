import { OUTCOMES_SCHEMA } from './outcome-tables';
import { outcomesProjection } from './outcomes.projection';
import { statisticsQuery } from './statistics-query';

describe('outcome statistics as a library the audit replay can point elsewhere', () => {
  const request = { groupBy: ['city' as const], asOf: { kind: 'now' as const }, access: { kind: 'all' as const, suppressSmallCells: false as const } };

  it('reads the live schema by default and a replay scratch schema when told', () => {
    expect(statisticsQuery(request).sql).toContain(`${OUTCOMES_SCHEMA}.referrals`);
    const scratch = statisticsQuery({ ...request, schema: 'outcomes_replay' }).sql;
    expect(scratch).toContain('outcomes_replay.referrals');
    expect(scratch).not.toMatch(/\boutcomes\.referrals\b/);
  });

  it('the projection writes only to the schema it is given', async () => {
    const statements: string[] = [];
    const manager = { query: async (sql: string) => void statements.push(sql) };
    const made = {
      id: '00000000-0000-4000-8000-000000000001',
      type: 'ReferralMade',
      stream: 'referral-00000000-0000-4000-8000-000000000002',
      revision: 0n,
      position: { commit: 1n, prepare: 1n },
      recordedAt: new Date('2026-03-02T10:00:00Z'),
      metadata: { correlationId: 'c', causationId: null, actor: { userId: 'u', organisationId: 'gm0141-almelo', roles: [] }, schemaVersion: 1 },
      data: {
        referralId: '00000000-0000-4000-8000-000000000002',
        journeyRootId: '00000000-0000-4000-8000-000000000002',
        forwardedFromReferralId: null,
        cityId: 'gm0141-almelo',
        partnerId: 'rabobank',
        partnerKind: 'bank',
        serviceId: 'rabobank-bedrijfsfinanciering',
        needCategory: 'financing',
        entrepreneur: { kvkNumber: '12345678', businessName: 'X', sbiCode: null, sizeClass: 'micro' },
        subjectId: '00000000-0000-4000-8000-000000000003',
        consent: { consentId: '00000000-0000-4000-8000-000000000004', purpose: 'p', expiresAt: '2027-01-01T00:00:00.000Z', anonymousStatistics: true },
        slaWorkingDays: 5,
        slaDueAt: '2026-03-09T22:59:59.999Z',
        sentAt: '2026-03-02T10:00:00.000Z',
        personal: {},
      },
    };
    await outcomesProjection.apply([made as never], { manager: manager as never, schema: 'outcomes_replay' });
    expect(statements.length).toBeGreaterThan(0);
    for (const sql of statements) {
      expect(sql).toContain('outcomes_replay.');
      expect(sql).not.toMatch(/\boutcomes\.(referrals|facts)\b/);
    }
  });
});

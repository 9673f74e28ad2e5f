import { startAudit, scriptedLife, withdrawConsent, ORG, type AuditUnderTest, type ScriptedLife } from './support/audit-service';

const HISTORY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id history {
  sequence position eventId type recordedAt occurredAt actor { userId organisation { id } roles } personalData changes { field value personal } } } } }`;
const HISTORY_WITHOUT_VALUES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id history { type personalData changes { field personal } } } } }`;
const AS_OF = `query($id: ID!, $at: DateTime!) { referralAsOf(id: $id, at: $at) {
  referralId at version eventsApplied status city { id } partner { id } needCategory sentAt firstResponseAt overdue forwardedToReferralId
  outcomes { code amountCents occurredAt recordedAt } } }`;

interface Change {
  field: string;
  value: string | null;
  personal: boolean;
}
interface Entry {
  sequence: number | null;
  position: string;
  type: string;
  recordedAt: string;
  occurredAt: string | null;
  actor: { userId: string; organisation: { id: string } | null; roles: string[] };
  personalData: string;
  changes: Change[];
}
interface HistoryData {
  _entities: ({ id: string; history: Entry[] } | null)[];
}
interface Snapshot {
  status: string;
  version: number;
  eventsApplied: number;
  firstResponseAt: string | null;
  outcomes: { code: string; amountCents: number | null; occurredAt: string; recordedAt: string }[];
}

describe('Referral.history, referralAsOf and the personal-data access log', () => {
  let audit: AuditUnderTest;
  let life: ScriptedLife;

  beforeAll(async () => {
    audit = await startAudit('audit_history', { KOPPELSTUK_AUDIT_CHECKPOINT_EVERY: '5' });
    life = await scriptedLife(audit);
    // Someone else's referral, for tenancy.
    await audit.writer.make({ cityId: ORG.otherCity, partnerId: ORG.otherPartner, serviceId: 'ing-zakelijk-krediet', contactName: 'Piet Zwols' });
    await audit.chainCaughtUp();
  });
  afterAll(async () => {
    await audit?.close();
  });

  const history = async (token: string, query = HISTORY) => {
    const response = await audit.service.graphql<HistoryData>(token, query, { r: [{ __typename: 'Referral', id: life.referralId }] });
    expect(response.errors).toBeUndefined();
    return response.data?._entities[0] ?? null;
  };
  const accessCount = async () => (await audit.query<{ n: number }>('select count(*)::int as n from personal_data.access_log'))[0]?.n ?? 0;
  const value = (entry: Entry | undefined, field: string) => entry?.changes.find((change) => change.field === field)?.value;

  it('shows every event of the referral in order: place in the chain, time recorded and occurred, actor, changed fields', async () => {
    const referral = await history(audit.tokens.city);
    const entries = referral?.history ?? [];
    expect(entries.map((entry) => entry.type)).toEqual([
      'ReferralMade',
      'InformationRequested',
      'InformationProvided',
      'ReferralAccepted',
      'WorkStarted',
      'OutcomeRecorded',
      'ReferralClosed',
      'OutcomeRecorded',
    ]);
    const sequences = entries.map((entry) => entry.sequence as number);
    expect(sequences.every((sequence, index) => index === 0 || sequence > (sequences[index - 1] as number))).toBe(true);
    const [made, asked, , accepted, , granted, , late] = entries;
    expect(made).toMatchObject({ occurredAt: '2026-01-05T09:00:00.000Z', actor: { userId: `${ORG.city}.officer`, organisation: { id: ORG.city }, roles: ['city_officer'] } });
    expect(accepted).toMatchObject({ occurredAt: '2026-01-08T09:00:00.000Z', actor: { userId: `${ORG.partner}.agent`, organisation: { id: ORG.partner } } });
    expect(value(accepted, 'acceptedAt')).toBe('"2026-01-08T09:00:00.000Z"');
    expect(value(granted, 'amountCents')).toBe('2500000');
    // Occurred in March, recorded much later: both times are there.
    expect(late?.occurredAt).toBe('2026-03-06T09:00:00.000Z');
    expect(Date.parse(late?.recordedAt as string)).toBe(life.recorded.lateOutcome.getTime());
    expect(value(made, 'entrepreneur')).toContain('"businessName":"Bakkerij Hendriks"');
    // Personal data is expanded into its fields, decrypted for the referring city under a valid consent.
    expect(made?.personalData).toBe('visible');
    expect(made?.changes.filter((change) => change.personal)).toEqual([
      { field: 'personal.contactName', value: '"Anouk Hendriks"', personal: true },
      { field: 'personal.contactEmail', value: '"sanne@bakkerij-jansen.nl"', personal: true },
      { field: 'personal.contactPhone', value: 'null', personal: true },
      { field: 'personal.needDescription', value: '"Een nieuwe oven"', personal: true },
    ]);
    expect(value(asked, 'personal.text')).toBe('"Kunt u de jaarcijfers sturen?"');
  });

  it('records each read of personal data (one entry per history read, with its fields and purpose), and no other read', async () => {
    const before = await accessCount();
    await history(audit.tokens.city);
    await history(audit.tokens.partner);
    const entries = await audit.query<{ user_id: string; purpose: string; service: string; fields: string[]; referral_id: string; subject_id: string }>(
      'select user_id, purpose, service, fields, referral_id, subject_id from personal_data.access_log order by id desc limit 2',
    );
    expect(await accessCount()).toBe(before + 2);
    expect(entries.map((entry) => entry.user_id)).toEqual([`${ORG.partner}.partner_agent`, `${ORG.city}.city_officer`]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ purpose: 'history', service: 'audit', referral_id: life.referralId, subject_id: life.subjectId });
      expect(entry.fields).toEqual(
        expect.arrayContaining(['personal.contactName', 'personal.contactEmail', 'personal.contactPhone', 'personal.needDescription', 'personal.text']),
      );
    }

    // Reads that decrypt nothing leave no entry: masked for the auditor and the admin, no values asked for,
    // the state as of a moment, the audit log.
    const auditorView = await history(audit.tokens.auditor);
    expect(auditorView?.history.every((entry) => entry.personalData === 'masked')).toBe(true);
    expect(auditorView?.history.flatMap((entry) => entry.changes).filter((change) => change.personal).every((change) => change.value === null)).toBe(true);
    expect(value(auditorView?.history[3], 'acceptedAt')).toBe('"2026-01-08T09:00:00.000Z"');
    await history(audit.tokens.admin);
    await history(audit.tokens.city, HISTORY_WITHOUT_VALUES);
    await audit.service.graphql(audit.tokens.city, AS_OF, { id: life.referralId, at: new Date().toISOString() });
    await audit.service.graphql(audit.tokens.city, `{ auditLog(first: 50) { edges { node { sequence type } } } }`);
    expect(await accessCount()).toBe(before + 2);
  });

  it('is null for anyone who may not see the referral, with no hint that it exists', async () => {
    for (const token of [audit.tokens.otherPartner, audit.tokens.otherCity]) {
      expect(await history(token)).toBeNull();
      const asOf = await audit.service.graphql<{ referralAsOf: unknown }>(token, AS_OF, { id: life.referralId, at: new Date().toISOString() });
      expect(asOf).toEqual({ status: 200, data: { referralAsOf: null } });
    }
    const unknown = await audit.service.graphql<HistoryData>(audit.tokens.admin, HISTORY, { r: [{ __typename: 'Referral', id: '00000000-0000-4000-8000-000000000000' }] });
    expect(unknown.data?._entities).toEqual([null]);
  });

  it('replays the referral as it stood at chosen moments of its life', async () => {
    const at = async (moment: Date): Promise<Snapshot | null> => {
      const response = await audit.service.graphql<{ referralAsOf: Snapshot | null }>(audit.tokens.partner, AS_OF, { id: life.referralId, at: moment.toISOString() });
      expect(response.errors).toBeUndefined();
      return response.data?.referralAsOf ?? null;
    };
    const { made, onHold, working, outcome, closed, lateOutcome } = life.recorded;
    expect(await at(new Date(made.getTime() - 1))).toBeNull();
    expect(await at(made)).toMatchObject({ status: 'sent', version: 0, eventsApplied: 1, firstResponseAt: null, outcomes: [] });
    expect(await at(onHold)).toMatchObject({ status: 'on_hold', version: 1, firstResponseAt: '2026-01-06T09:00:00.000Z', outcomes: [] });
    expect(await at(working)).toMatchObject({ status: 'in_progress', version: 4, outcomes: [] });
    const granted = { code: 'financing_granted', amountCents: 2_500_000, occurredAt: '2026-01-25T09:00:00.000Z', recordedAt: '2026-01-26T09:00:00.000Z' };
    expect(await at(outcome)).toMatchObject({ status: 'in_progress', version: 5, outcomes: [granted] });
    expect(await at(closed)).toMatchObject({ status: 'completed', version: 6, outcomes: [granted] });
    const loan = { code: 'loan_or_guarantee', amountCents: 7_500_000, occurredAt: '2026-03-06T09:00:00.000Z', recordedAt: '2026-06-04T09:00:00.000Z' };
    // Just before the late loan was recorded the referral was closed with one outcome; from then on, two.
    expect(await at(new Date(lateOutcome.getTime() - 1))).toMatchObject({ status: 'completed', version: 6, outcomes: [granted] });
    expect(await at(lateOutcome)).toMatchObject({ status: 'completed', version: 7, eventsApplied: 8, outcomes: [granted, loan] });
  });

  it('masks personal data once the consent is withdrawn, and records no read', async () => {
    const other = await audit.writer.make({ cityId: ORG.city, partnerId: ORG.partner, serviceId: 'rabobank-bedrijfsfinanciering', contactName: 'Kees Bos' });
    const read = async (token: string) =>
      (await audit.service.graphql<HistoryData>(token, HISTORY, { r: [{ __typename: 'Referral', id: other.referralId }] })).data?._entities[0]?.history[0];
    expect(value(await read(audit.tokens.city), 'personal.contactName')).toBe('"Kees Bos"');
    await withdrawConsent(audit, other.subjectId, other.consentId, ORG.city);
    const before = await accessCount();
    for (const token of [audit.tokens.city, audit.tokens.partner]) {
      const made = await read(token);
      expect(made?.personalData).toBe('no_consent');
      expect(made?.changes.filter((change) => change.personal).map((change) => change.value)).toEqual([null, null, null, null]);
    }
    expect(await accessCount()).toBe(before);
  });

  it('shows erased personal data as erased, for everyone, and records no read', async () => {
    await audit.writer.erase(life.subjectId, audit.sealer.keys, ORG.city);
    const before = await accessCount();
    const referral = await history(audit.tokens.city);
    expect(referral?.history.every((entry) => entry.personalData === 'erased')).toBe(true);
    expect(referral?.history.flatMap((entry) => entry.changes).filter((change) => change.personal).every((change) => change.value === null)).toBe(true);
    expect(await accessCount()).toBe(before);
  });
});

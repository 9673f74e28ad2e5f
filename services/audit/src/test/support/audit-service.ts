import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { decideSubject, evolveSubject, type SubjectEvent, type SubjectState } from '@koppelstuk/domain';
import type { JsonObject, RecordedEvent } from '@koppelstuk/event-store';
import { cityOfficer, realSealer, ReferralWriter, startServiceForTest, type ServiceUnderTest } from '@koppelstuk/testing';
import { AuditModule } from '../../app.module';
import { loadAuditConfig } from '../../config';

export const ORG = {
  city: 'gm0141-almelo',
  otherCity: 'gm0193-zwolle',
  partner: 'rabobank',
  otherPartner: 'ing',
  auditor: 'rekenkamer-g40',
  admin: 'g40-programmabureau',
} as const;

export interface AuditUnderTest {
  readonly service: ServiceUnderTest;
  readonly writer: ReferralWriter;
  readonly sealer: ReturnType<typeof realSealer>;
  readonly tokens: Record<keyof typeof ORG, string>;
  /** Waits (a bounded liveness wait) until the chain holds every event in the log. */
  chainCaughtUp(): Promise<number>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** The audit service in-process on a fresh database, and a writer for realistic referral histories with sealed personal data. */
export async function startAudit(label: string, env: Record<string, string> = {}): Promise<AuditUnderTest> {
  const service = await startServiceForTest((config) => AuditModule.forRoot(loadAuditConfig(config)), { label, env });
  const sealer = realSealer(service.database.url, service.dataDir);
  const writer = new ReferralWriter(service.store, sealer.seal);
  const client = new Client({ connectionString: service.database.url });
  await client.connect();
  const query = async <Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as Row[];
  return {
    service,
    writer,
    sealer,
    tokens: {
      city: await service.token(ORG.city, 'city_officer'),
      otherCity: await service.token(ORG.otherCity, 'city_officer'),
      partner: await service.token(ORG.partner, 'partner_agent'),
      otherPartner: await service.token(ORG.otherPartner, 'partner_agent'),
      auditor: await service.token(ORG.auditor, 'auditor'),
      admin: await service.token(ORG.admin, 'admin'),
    },
    query,
    async chainCaughtUp() {
      for (let attempt = 0; attempt < 400; attempt++) {
        const [row] = await query<{ events: number; chained: number }>(
          'select (select count(*)::int from event_store.events) as events, (select count(*)::int from audit.chain) as chained',
        );
        if (row && row.events === row.chained) return row.chained;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('Gave up waiting for the chain to catch up with the log');
    },
    async close() {
      await client.end();
      await sealer.close();
      await service.close();
    },
  };
}

/** A moment strictly after everything recorded so far, so that the next event is recorded strictly after it. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 3));
}

export interface ScriptedLife {
  readonly referralId: string;
  readonly subjectId: string;
  /** The recording time of the last event of each step. */
  readonly recorded: Readonly<Record<'made' | 'onHold' | 'working' | 'outcome' | 'closed' | 'lateOutcome', Date>>;
}

/**
 * One referral's life, Almelo → Rabobank, step by step with known domain times: made, information asked,
 * information given, accepted, work started, financing granted, closed, and a loan approved months later.
 */
export async function scriptedLife(audit: AuditUnderTest): Promise<ScriptedLife> {
  const { writer, service } = audit;
  const day = (n: number) => new Date(Date.UTC(2026, 0, 5 + n, 9)).toISOString();
  const last = async (referralId: string): Promise<Date> => {
    let latest: RecordedEvent | null = null;
    for await (const event of service.store.readStream(`referral-${referralId}`)) latest = event;
    await settle();
    return (latest as RecordedEvent).recordedAt;
  };
  await settle();
  const { referralId, subjectId } = await writer.make({
    cityId: ORG.city,
    partnerId: ORG.partner,
    serviceId: 'rabobank-bedrijfsfinanciering',
    kvkNumber: '12345678',
    businessName: 'Bakkerij Hendriks',
    contactName: 'Anouk Hendriks',
    needDescription: 'Een nieuwe oven',
    at: day(0),
  });
  const made = await last(referralId);
  await writer.requestInformation(referralId, day(1));
  const onHold = await last(referralId);
  await writer.provideInformation(referralId, day(2));
  await writer.accept(referralId, day(3));
  await writer.startWork(referralId, day(4));
  const working = await last(referralId);
  await writer.recordOutcome(referralId, { code: 'financing_granted', amountCents: 2_500_000, occurredAt: day(20), jobsRetained: 3, jobsCreated: 1 }, day(21));
  const outcome = await last(referralId);
  await writer.close(referralId, day(22));
  const closed = await last(referralId);
  await writer.recordOutcome(referralId, { code: 'loan_or_guarantee', amountCents: 7_500_000, occurredAt: day(60) }, day(150));
  const lateOutcome = await last(referralId);
  return { referralId, subjectId, recorded: { made, onHold, working, outcome, closed, lateOutcome } };
}

/** The entrepreneur withdraws a consent (decided by the domain, appended as the referrals service would). */
export async function withdrawConsent(audit: AuditUnderTest, subjectId: string, consentId: string, cityId: string): Promise<void> {
  const stream = `subject-${subjectId}`;
  let state: SubjectState = null;
  let revision = -1n;
  for await (const event of audit.service.store.readStream(stream)) {
    state = evolveSubject(state, { type: event.type, data: event.data } as unknown as SubjectEvent);
    revision = event.revision;
  }
  const actor = cityOfficer(cityId);
  const decision = decideSubject(state, { type: 'WithdrawConsent', actor, at: new Date().toISOString(), subjectId, consentId });
  if (!decision.ok) throw new Error(`withdrawal refused: ${decision.error.message}`);
  await audit.service.store.append(
    stream,
    decision.events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data as unknown as JsonObject,
      metadata: { correlationId: randomUUID(), causationId: null, actor: { ...actor, roles: [...actor.roles] }, schemaVersion: 1 },
    })),
    { expectedRevision: revision },
  );
}

import { createHash, verify } from 'node:crypto';
import { writeReferralMix, type GraphQLResponse } from '@koppelstuk/testing';
import { startAudit, scriptedLife, ORG, type AuditUnderTest, type ScriptedLife } from './support/audit-service';

const AUDIT_LOG = `query($filter: AuditLogFilter, $first: Int, $after: String) { auditLog(filter: $filter, first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } edges { cursor node { sequence position eventId stream type recordedAt hash actor { userId organisation { id } roles } } } } }`;

interface AuditNode {
  sequence: number;
  position: string;
  eventId: string;
  stream: string;
  type: string;
  recordedAt: string;
  hash: string;
  actor: { userId: string; organisation: { id: string } | null; roles: string[] };
}
interface AuditLogData {
  auditLog: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: AuditNode }[] };
}
interface ExportData {
  filename: string;
  contentType: string;
  rows: number;
  content: string;
}

/** Keys sorted at every level: the chain's canonical encoding, written independently of the service's code. */
const sortKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]))
      : value;

describe('audit log, verification, checkpoints, exports, the access log for the data protection officer', () => {
  let audit: AuditUnderTest;
  let life: ScriptedLife;
  let total: number;

  beforeAll(async () => {
    audit = await startAudit('audit_queries', { KOPPELSTUK_AUDIT_CHECKPOINT_EVERY: '10' });
    life = await scriptedLife(audit);
    await writeReferralMix(audit.writer, { events: 150, seed: 3 });
    total = await audit.chainCaughtUp();
  });
  afterAll(async () => {
    await audit?.close();
  });

  const all = async (token: string, filter: Record<string, unknown> = {}): Promise<AuditNode[]> => {
    const nodes: AuditNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const response: GraphQLResponse<AuditLogData> = await audit.service.graphql<AuditLogData>(token, AUDIT_LOG, { filter, first: 40, after });
      expect(response.errors).toBeUndefined();
      const log: AuditLogData['auditLog'] | undefined = response.data?.auditLog;
      nodes.push(...(log?.edges.map((edge) => edge.node) ?? []));
      if (!log?.pageInfo.hasNextPage) return nodes;
      after = log.pageInfo.endCursor;
    }
    throw new Error('too many pages');
  };
  const count = async (where: string, params: unknown[] = []) =>
    (await audit.query<{ n: number }>(`select count(*)::int as n from event_store.events e where ${where}`, params))[0]?.n;
  /** Events of referral streams whose ReferralMade names this organisation in `field`, straight from the log. */
  const referralEventsOf = (field: 'cityId' | 'partnerId', organisation: string) =>
    count(`e.stream_name in (select m.stream_name from event_store.events m where m.event_type = 'ReferralMade' and m.data->>'${field}' = $1)`, [organisation]);

  it('lists every event for auditors and admins, newest first, with cursors that neither skip nor repeat', async () => {
    const nodes = await all(audit.tokens.auditor);
    expect(nodes.map((node) => node.sequence)).toEqual(Array.from({ length: total }, (_, index) => total - index));
    expect(nodes.every((node) => /^[0-9a-f]{64}$/.test(node.hash) && /^\d+\/\d+$/.test(node.position))).toBe(true);
    const stored = await audit.query<{ hash: string }>('select hash from audit.chain where sequence = $1', [total]);
    expect(nodes[0]?.hash).toBe(stored[0]?.hash);
  });

  it('filters by event type, actor, organisation and period', async () => {
    const accepted = await all(audit.tokens.admin, { eventType: 'ReferralAccepted' });
    expect(accepted.length).toBe(await count(`e.event_type = 'ReferralAccepted'`));
    expect(accepted.every((node) => node.type === 'ReferralAccepted')).toBe(true);
    const byAgent = await all(audit.tokens.admin, { actor: `${ORG.partner}.agent` });
    expect(byAgent.length).toBe(await count(`e.metadata->'actor'->>'userId' = $1`, [`${ORG.partner}.agent`]));
    expect(byAgent.length).toBeGreaterThan(0);
    const byOrganisation = await all(audit.tokens.admin, { organisation: ORG.city });
    expect(byOrganisation.length).toBe(await count(`e.metadata->'actor'->>'organisationId' = $1`, [ORG.city]));
    expect(byOrganisation.every((node) => node.actor.organisation?.id === ORG.city)).toBe(true);
    const { onHold, closed } = life.recorded;
    const period = await all(audit.tokens.admin, { from: onHold.toISOString(), to: closed.toISOString() });
    expect(period.length).toBe(await count(`date_trunc('milliseconds', e.recorded_at) between $1 and $2`, [onHold, closed]));
    expect(period.length).toBeGreaterThanOrEqual(5);
  });

  it("shows a city officer and a partner agent only their own referrals' events, never other streams", async () => {
    const city = await all(audit.tokens.city);
    expect(city.length).toBe(await referralEventsOf('cityId', ORG.city));
    expect(city.length).toBeGreaterThanOrEqual(8);
    expect(city.every((node) => node.stream.startsWith('referral-'))).toBe(true);
    const partner = await all(audit.tokens.partner);
    expect(partner.length).toBe(await referralEventsOf('partnerId', ORG.partner));
    expect(partner.every((node) => node.stream.startsWith('referral-'))).toBe(true);
    const stranger = await audit.service.token('onbekende-partner', 'partner_agent');
    expect(await all(stranger)).toEqual([]);
  });

  it('verifies the log for auditors, with its signed checkpoints; refuses others and bad ranges', async () => {
    const query = `query($from: Int, $to: Int) { verifyLog(from: $from, to: $to) { ok checkedEvents fromSequence toSequence firstBadSequence firstBadPosition problem headHash checkpointsVerified } }`;
    const response = await audit.service.graphql<{ verifyLog: Record<string, unknown> }>(audit.tokens.auditor, query, {});
    const [head] = await audit.query<{ hash: string }>('select hash from audit.chain order by sequence desc limit 1');
    expect(response.data?.verifyLog).toEqual({
      ok: true,
      checkedEvents: total,
      fromSequence: 1,
      toSequence: total,
      firstBadSequence: null,
      firstBadPosition: null,
      problem: null,
      headHash: head?.hash,
      checkpointsVerified: Math.floor(total / 10),
    });
    expect((await audit.service.graphql(audit.tokens.city, query, {})).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await audit.service.graphql(audit.tokens.auditor, query, { from: 20, to: 10 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('gives auditors checkpoints that anyone can verify with the public key alone', async () => {
    const response = await audit.service.graphql<{ chainCheckpoints: { sequence: number; hash: string; signature: string; publicKey: string; signedAt: string }[] }>(
      audit.tokens.auditor,
      `{ chainCheckpoints(first: 3) { sequence hash signature publicKey signedAt } }`,
    );
    const checkpoints = response.data?.chainCheckpoints ?? [];
    const newest = Math.floor(total / 10) * 10;
    expect(checkpoints.map((checkpoint) => checkpoint.sequence)).toEqual([newest, newest - 10, newest - 20]);
    for (const checkpoint of checkpoints) {
      const message = Buffer.from(`koppelstuk-chain:${checkpoint.sequence}:${checkpoint.hash}`);
      expect(verify(null, message, checkpoint.publicKey, Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
      expect(verify(null, Buffer.from(`koppelstuk-chain:${checkpoint.sequence}:${'0'.repeat(64)}`), checkpoint.publicKey, Buffer.from(checkpoint.signature, 'base64'))).toBe(false);
      const [row] = await audit.query<{ hash: string }>('select hash from audit.chain where sequence = $1', [checkpoint.sequence]);
      expect(checkpoint.hash).toBe(row?.hash);
    }
  });

  it('exports events with their chain hashes; every line can be checked outside the system', async () => {
    const query = `query($format: ExportFormat, $from: DateTime) { eventExport(format: $format, from: $from) { filename contentType rows content } }`;
    const jsonl = (await audit.service.graphql<{ eventExport: ExportData }>(audit.tokens.auditor, query, { format: 'json_lines' })).data?.eventExport;
    expect(jsonl).toMatchObject({ rows: total, contentType: 'application/x-ndjson; charset=utf-8', filename: 'koppelstuk-events-start-now.jsonl' });
    const lines = (jsonl?.content ?? '').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(total);
    let previous = '0'.repeat(64);
    for (const line of lines) {
      const [commit, prepare] = String(line['position']).split('/');
      const encoded = JSON.stringify(
        sortKeys(['koppelstuk-chain/1', commit, prepare, line['eventId'], line['stream'], line['revision'], line['type'], line['recordedAt'], line['data'], line['metadata'], previous]),
      );
      expect(line['previousHash']).toBe(previous);
      expect(createHash('sha256').update(encoded).digest('hex')).toBe(line['hash']);
      previous = line['hash'] as string;
    }
    // Personal data leaves only as ciphertext.
    expect(jsonl?.content).not.toContain('Anouk Hendriks');
    const csv = (await audit.service.graphql<{ eventExport: ExportData }>(audit.tokens.admin, query, { format: 'csv', from: life.recorded.closed.toISOString() })).data?.eventExport;
    const csvLines = (csv?.content ?? '').split('\r\n').filter((line) => line !== '');
    expect(csvLines[0]).toBe('sequence,position,eventId,stream,revision,type,recordedAt,actorUserId,actorOrganisationId,data,metadata,previousHash,hash');
    expect(csv?.rows).toBe(await count(`date_trunc('milliseconds', e.recorded_at) >= $1`, [life.recorded.closed]));
    expect(csvLines).toHaveLength((csv?.rows ?? 0) + 1);
    expect((await audit.service.graphql(audit.tokens.partner, query, {})).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("gives the data protection officer a person's access log, page by page and as a file for them", async () => {
    const history = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { history { changes { value } } } } }`;
    await audit.service.graphql(audit.tokens.city, history, { r: [{ __typename: 'Referral', id: life.referralId }] });
    await audit.service.graphql(audit.tokens.partner, history, { r: [{ __typename: 'Referral', id: life.referralId }] });
    const query = `query($id: ID!, $first: Int, $after: String) { subjectAccessLog(subjectId: $id, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { accessedAt userId organisation { id } roles referralId fields purpose service correlationId } } } }`;
    type Page = { subjectAccessLog: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Record<string, unknown> }[] } };
    const first = (await audit.service.graphql<Page>(audit.tokens.admin, query, { id: life.subjectId, first: 1 })).data?.subjectAccessLog;
    expect(first?.pageInfo.hasNextPage).toBe(true);
    expect(first?.edges[0]?.node).toMatchObject({ userId: `${ORG.partner}.partner_agent`, organisation: { id: ORG.partner }, purpose: 'history', service: 'audit', referralId: life.referralId });
    const second = (await audit.service.graphql<Page>(audit.tokens.admin, query, { id: life.subjectId, first: 5, after: first?.pageInfo.endCursor })).data?.subjectAccessLog;
    expect(second?.edges.map((edge) => edge.node['userId'])).toEqual([`${ORG.city}.city_officer`]);
    expect(second?.pageInfo.hasNextPage).toBe(false);

    const exportQuery = `query($id: ID!, $format: ExportFormat) { subjectAccessExport(subjectId: $id, format: $format) { filename rows content } }`;
    const csv = (await audit.service.graphql<{ subjectAccessExport: ExportData }>(audit.tokens.admin, exportQuery, { id: life.subjectId, format: 'csv' })).data?.subjectAccessExport;
    expect(csv?.rows).toBe(2);
    expect(csv?.content.split('\r\n')[0]).toBe('accessedAt,userId,organisationId,roles,referralId,fields,purpose,service,correlationId');
    expect(csv?.content.split('\r\n')[1]).toContain(`${ORG.city}.city_officer,${ORG.city},city_officer,${life.referralId},`);
    const jsonl = (await audit.service.graphql<{ subjectAccessExport: ExportData }>(audit.tokens.admin, exportQuery, { id: life.subjectId })).data?.subjectAccessExport;
    expect(jsonl?.filename).toBe(`koppelstuk-access-log-${life.subjectId}.jsonl`);
    expect(jsonl?.content.trimEnd().split('\n').map((line) => (JSON.parse(line) as { userId: string }).userId)).toEqual([
      `${ORG.city}.city_officer`,
      `${ORG.partner}.partner_agent`,
    ]);

    for (const token of [audit.tokens.auditor, audit.tokens.city]) {
      expect((await audit.service.graphql(token, query, { id: life.subjectId })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await audit.service.graphql(audit.tokens.admin, query, { id: 'not-a-uuid' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reports the chain projection to admins and in /health', async () => {
    const response = await audit.service.graphql<{ auditProjection: Record<string, unknown>[] }>(
      audit.tokens.admin,
      `{ auditProjection { name state eventsApplied positionsBehind failure } }`,
    );
    expect(response.data?.auditProjection).toEqual([{ name: 'audit-chain', state: 'active', eventsApplied: total, positionsBehind: '0', failure: null }]);
    expect((await audit.service.graphql(audit.tokens.auditor, `{ auditProjection { name } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const health = await fetch(`${audit.service.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { info: Record<string, { status: string; state: string }> }).info['projection:audit-chain']).toMatchObject({ status: 'up', state: 'active' });
  });
});

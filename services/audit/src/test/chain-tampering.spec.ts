import { defaultTestServer, type TestServer } from '@koppelstuk/database';
import { verifyLog, type VerificationReport } from '../verify-log/verify-log';
import { chainBed, type ChainBed } from './support/chain-bed';

interface Link {
  sequence: number;
  event_id: string;
  commit: string;
  prepare: string;
  stream: string;
  event_type: string;
}

const LINK = `select sequence::int, event_id, commit_position::text as commit, prepare_position::text as prepare, stream, event_type from audit.chain`;

/**
 * Tampering with the log by direct SQL, the way someone with database access could, and what verification
 * says about it. Each case restores the log afterwards and checks that it verifies again, so the cases also
 * show that the chain is a pure function of the log as stored.
 */
describe('hash chain: tamper evidence', () => {
  let server: TestServer;
  let bed: ChainBed;
  let total: number;

  beforeAll(async () => {
    server = await defaultTestServer();
    bed = await chainBed(server, 'audit_tamper', { events: 300, checkpointEvery: 50 });
    const [count] = await bed.sql<{ total: number }>('select count(*)::int as total from event_store.events');
    total = count?.total ?? 0;
  });
  afterAll(async () => {
    await bed?.close();
    await server?.stop();
  });

  const verify = (range: { from?: number; to?: number } = {}) => verifyLog(bed.store, bed.dataSource, { ...range, trustedKeyIds: [bed.signer.keyId] });
  const link = async (where: string, params: unknown[] = []): Promise<Link> => {
    const [row] = await bed.sql<Link>(`${LINK} where ${where} order by sequence limit 1`, params);
    if (!row) throw new Error(`no chain row where ${where}`);
    return row;
  };
  /** A link whose successor was appended by another transaction, so that a row can be slid in between or the two swapped. */
  const transactionBoundary = (after: number) =>
    link(`sequence > $1 and commit_position <> (select c.commit_position from audit.chain c where c.sequence = audit.chain.sequence + 1)`, [after]);
  const expectClean = async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, checkedEvents: total, problem: null, firstBadSequence: null });
  };
  const expectProblem = (report: VerificationReport, kind: string, sequence: number, position: string) => {
    expect({ ok: report.ok, kind: report.problemKind, sequence: report.firstBadSequence, position: report.firstBadPosition }).toEqual({
      ok: false,
      kind,
      sequence,
      position,
    });
    expect(report.problem).toContain(position);
  };

  it('verifies an untouched log: every event, every signed checkpoint, the head hash as stored', async () => {
    const report = await verify();
    const [head] = await bed.sql<{ sequence: number; hash: string }>('select sequence::int, hash from audit.chain order by sequence desc limit 1');
    expect(head?.sequence).toBe(total);
    expect(report).toEqual({
      ok: true,
      checkedEvents: total,
      fromSequence: 1,
      toSequence: total,
      firstBadSequence: null,
      firstBadPosition: null,
      problemKind: null,
      problem: null,
      headHash: head?.hash,
      checkpointsVerified: Math.floor(total / 50),
    });
  });

  it.each([
    ['data', `data = jsonb_set(data, '{acceptedAt}', '"2020-01-01T00:00:00.000Z"')`, 'ReferralAccepted'],
    ['metadata', `metadata = jsonb_set(metadata, '{actor,userId}', '"iemand-anders"')`, 'WorkStarted'],
    ['type', `event_type = 'ReferralDeclined'`, 'ReferralClosed'],
  ])('detects a changed event (%s updated by SQL) and names its sequence and position', async (what, change, type) => {
    const target = await link(`event_type = $1 and sequence > 40`, [type]);
    const [original] = await bed.sql<{ data: string; metadata: string; event_type: string }>(
      'select data::text, metadata::text, event_type from event_store.events where event_id = $1',
      [target.event_id],
    );
    await bed.sql(`update event_store.events set ${change} where event_id = $1`, [target.event_id]);
    const report = await verify();
    expectProblem(report, 'changed', target.sequence, `${target.commit}/${target.prepare}`);
    expect(report.checkedEvents).toBe(target.sequence - 1);
    if (what === 'type') expect(report.problem).toContain('its type is now ReferralDeclined (chained as ReferralClosed)');
    await bed.sql('update event_store.events set data = $2::jsonb, metadata = $3::jsonb, event_type = $4 where event_id = $1', [
      target.event_id,
      original?.data,
      original?.metadata,
      original?.event_type,
    ]);
    await expectClean();
  });

  it('detects a deleted event', async () => {
    const target = await link(`sequence = $1`, [Math.floor(total / 2)]);
    const [saved] = await bed.sql<Record<string, unknown>>('select * from event_store.events where event_id = $1', [target.event_id]);
    await bed.sql('delete from event_store.events where event_id = $1', [target.event_id]);
    const report = await verify();
    expectProblem(report, 'deleted', target.sequence, `${target.commit}/${target.prepare}`);
    expect(report.problem).toContain(target.event_id);
    await bed.sql(
      `insert into event_store.events overriding system value
       select * from jsonb_populate_record(null::event_store.events, $1::jsonb)`,
      [JSON.stringify(saved)],
    );
    await expectClean();
  });

  it('detects an event inserted by SQL inside the chained range (crafted transaction id and sequence)', async () => {
    const before = await transactionBoundary(100);
    const crafted = 900_000_000_000 + before.sequence;
    await bed.sql(
      `insert into event_store.events (position, transaction_id, event_id, stream_name, stream_revision, event_type, data, metadata, recorded_at)
       overriding system value
       values ($1, $2::xid8, gen_random_uuid(), 'referral-00000000-0000-4000-8000-000000000000', 0, 'ReferralMade', '{"referralId":"x"}',
               '{"actor":{"userId":"indringer","organisationId":null,"roles":[]},"schemaVersion":1,"correlationId":"x","causationId":null}', now())`,
      [crafted, before.commit],
    );
    const report = await verify();
    expectProblem(report, 'inserted', before.sequence + 1, `${before.commit}/${crafted}`);
    expect(report.problem).toContain(`between sequence ${before.sequence} and`);
    await bed.sql('delete from event_store.events where position = $1', [crafted]);
    await expectClean();
  });

  it('detects a reordered pair (two events swapped in the log order)', async () => {
    const first = await transactionBoundary(150);
    const second = await link('sequence = $1', [first.sequence + 1]);
    const swap = () =>
      bed.sql(
        `update event_store.events e set transaction_id = s.tx
           from (values ($1::uuid, $4::xid8), ($3::uuid, $2::xid8)) as s(id, tx) where e.event_id = s.id`,
        [first.event_id, first.commit, second.event_id, second.commit],
      );
    await swap();
    const report = await verify();
    expectProblem(report, 'reordered', first.sequence, `${first.commit}/${first.prepare}`);
    expect(report.problem).toContain(second.event_id);
    await bed.sql(`update event_store.events set transaction_id = $2::xid8 where event_id = $1`, [first.event_id, first.commit]);
    await bed.sql(`update event_store.events set transaction_id = $2::xid8 where event_id = $1`, [second.event_id, second.commit]);
    await expectClean();
  });

  it('checks a range on its own, anchored on the hash before it', async () => {
    const target = await link('sequence = 120');
    const [original] = await bed.sql<{ data: string }>('select data::text from event_store.events where event_id = $1', [target.event_id]);
    await bed.sql(`update event_store.events set data = data || '{"extra": true}' where event_id = $1`, [target.event_id]);
    expect(await verify({ from: 130, to: 180 })).toMatchObject({ ok: true, checkedEvents: 51, fromSequence: 130, toSequence: 180, checkpointsVerified: 1 });
    expect(await verify({ from: 100, to: 140 })).toMatchObject({ ok: false, problemKind: 'changed', firstBadSequence: 120, checkedEvents: 20 });
    await bed.sql('update event_store.events set data = $2::jsonb where event_id = $1', [target.event_id, original?.data]);
    await expect(verify({ from: 0 })).rejects.toThrow(/1 or more/);
  });

  it('notices rows removed from the chain table itself', async () => {
    const [saved] = await bed.sql<Record<string, unknown>>('select * from audit.chain where sequence = 77');
    await bed.sql('delete from audit.chain where sequence = 77');
    expect(await verify()).toMatchObject({ ok: false, problemKind: 'chain', firstBadSequence: 77 });
    await bed.sql('insert into audit.chain select * from jsonb_populate_record(null::audit.chain, $1::jsonb)', [JSON.stringify(saved)]);
    await expectClean();
  });

  it('catches a log rewritten together with its chain through the signed checkpoints, and a forged checkpoint', async () => {
    const target = await link('sequence = 163');
    const [original] = await bed.sql<{ data: string }>('select data::text from event_store.events where event_id = $1', [target.event_id]);
    await bed.sql(`update event_store.events set data = data || '{"extra": true}' where event_id = $1`, [target.event_id]);
    await bed.rebuildChain(); // the chain now agrees with the altered log; the checkpoints are never rebuilt
    const report = await verify();
    expect(report).toMatchObject({ ok: false, problemKind: 'checkpoint', firstBadSequence: 200, checkpointsVerified: 3 });
    expect(report.problem).toContain('sequences 151-200');
    await bed.sql('update event_store.events set data = $2::jsonb where event_id = $1', [target.event_id, original?.data]);
    await bed.rebuildChain();
    await expectClean();

    const [signed] = await bed.sql<{ hash: string }>('select hash from audit.checkpoints where sequence = 100');
    await bed.sql(`update audit.checkpoints set hash = repeat('0', 64) where sequence = 100`);
    const forged = await verify();
    expect(forged).toMatchObject({ ok: false, problemKind: 'checkpoint', firstBadSequence: 100 });
    expect(forged.problem).toContain('valid signature');
    await bed.sql('update audit.checkpoints set hash = $1 where sequence = 100', [signed?.hash]);
    await expectClean();
  });

  it('still verifies after a person is erased: the key is deleted, the log is never rewritten', async () => {
    const [made] = await bed.sql<{ subject: string; city: string }>(
      `select data->>'subjectId' as subject, data->>'cityId' as city from event_store.events where event_type = 'ReferralMade' limit 1`,
    );
    await bed.writer.erase(made?.subject as string, bed.sealer.keys, made?.city as string);
    await bed.catchUp();
    expect(await bed.sql('select wrapped_key from personal_data.subject_keys where subject_id = $1', [made?.subject])).toEqual([{ wrapped_key: null }]);
    const report = await verifyLog(bed.store, bed.dataSource, { from: 1, to: 10_000 });
    expect(report).toMatchObject({ ok: true, checkedEvents: total + 1 });
  });
});

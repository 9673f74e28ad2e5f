import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore, type NewEvent } from '@koppelstuk/event-store';
import { combine, runLoad, type BenchContext, type LoadResult } from '../support/context';
import { median, p99, rate } from '../support/stats';
import { ms, perSecond, ratio, type BenchTable } from '../support/table';

const WRITERS = 8;
const EVENTS_PER_STREAM = 10;
const BATCH = 100;
/** Each figure is measured in ROUNDS, alternating with its baseline, so that drift on a shared machine hits both. */
const ROUNDS = 2;
const LIMITS = {
  single: { ops: 2_000, ms: 4_000 },
  concurrent: { opsPerWriter: 600, ms: 4_000 },
  batch: { ops: 150, ms: 4_000 },
};

/** An event shaped like the network's: a few hundred bytes of data and the usual metadata. */
function benchEvent(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'ReferralAccepted',
    data: {
      referralId: randomUUID(),
      acceptedAt: new Date(1_750_000_000_000 + n * 1000).toISOString(),
      partnerId: 'rabobank',
      note: 'Wij nemen contact op met de ondernemer voor een kennismakingsgesprek.',
    },
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: { userId: 'rabobank.agent', organisationId: 'rabobank', roles: ['partner_agent'] },
      schemaVersion: 1,
      commandType: 'AcceptReferral',
    },
  };
}

interface Row {
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

const toRow = (event: NewEvent, stream: string, revision: number): Row => ({
  id: event.id,
  stream,
  revision,
  type: event.type,
  data: JSON.stringify(event.data),
  metadata: JSON.stringify(event.metadata),
});

/**
 * Appends through the PostgreSQL event store against plain INSERTs into a copy of its events table
 * (same columns, defaults, identity, unique constraints and indexes) on the same server.
 */
export async function appendBenchmark(context: BenchContext): Promise<BenchTable> {
  const database = await context.server.database('append');
  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: WRITERS, applicationName: 'bench-append' });
  const raw = new Pool({ connectionString: database.url, max: WRITERS, application_name: 'bench-append-raw' });
  try {
    await raw.query('create schema bench_raw');
    await raw.query('create table bench_raw.events (like event_store.events including all)');
    let streamCounter = 0;
    let rawCounter = 0;

    // Our append: one event, to the writer's current stream, with the exact expected revision (as a command does).
    const appender = () => {
      const streams: string[] = [];
      return async (worker: number, i: number) => {
        const revision = i % EVENTS_PER_STREAM;
        if (revision === 0) streams[worker] = `bench-${worker}-${streamCounter++}`;
        await store.append(streams[worker] as string, [benchEvent(i)], { expectedRevision: revision === 0 ? 'no_stream' : BigInt(revision - 1) });
      };
    };
    const rawInserter = () => {
      const streams: string[] = [];
      return async (worker: number, i: number) => {
        const revision = i % EVENTS_PER_STREAM;
        if (revision === 0) streams[worker] = `raw-${worker}-${rawCounter++}`;
        const row = toRow(benchEvent(i), streams[worker] as string, revision);
        await raw.query(
          'insert into bench_raw.events (event_id, stream_name, stream_revision, event_type, data, metadata) values ($1, $2, $3, $4, $5, $6)',
          [row.id, row.stream, row.revision, row.type, row.data, row.metadata],
        );
      };
    };
    const batchAppender = async (_worker: number, i: number) => {
      const events = Array.from({ length: BATCH }, (_, k) => benchEvent(i * BATCH + k));
      await store.append(`bench-batch-${streamCounter++}`, events, { expectedRevision: 'no_stream' });
    };
    const rawBatchInserter = async (_worker: number, i: number) => {
      const stream = `raw-batch-${rawCounter++}`;
      const rows = Array.from({ length: BATCH }, (_, k) => toRow(benchEvent(i * BATCH + k), stream, k));
      await raw.query(
        `insert into bench_raw.events (event_id, stream_name, stream_revision, event_type, data, metadata)
         select * from unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::jsonb[], $6::jsonb[])`,
        [rows.map((r) => r.id), rows.map((r) => r.stream), rows.map((r) => r.revision), rows.map((r) => r.type), rows.map((r) => r.data), rows.map((r) => r.metadata)],
      );
    };

    // Warm both paths up (connections, plans, the PL/pgSQL function's cached plans).
    await runLoad(WRITERS, 20, 2_000, appender());
    await runLoad(WRITERS, 20, 2_000, rawInserter());

    const measure = async (label: string, ours: () => Promise<LoadResult>, baseline: () => Promise<LoadResult>) => {
      const oursRounds: LoadResult[] = [];
      const baseRounds: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        baseRounds.push(await baseline());
        oursRounds.push(await ours());
      }
      const o = combine(oursRounds);
      const b = combine(baseRounds);
      context.log(`append ${label}: ${Math.round(rate(o.ops, o.ms))}/s vs baseline ${Math.round(rate(b.ops, b.ms))}/s`);
      return { o, b };
    };
    const half = (n: number) => Math.ceil(n / ROUNDS);
    const single = await measure(
      '1 writer',
      () => runLoad(1, half(LIMITS.single.ops), LIMITS.single.ms / ROUNDS, appender()),
      () => runLoad(1, half(LIMITS.single.ops), LIMITS.single.ms / ROUNDS, rawInserter()),
    );
    const concurrent = await measure(
      `${WRITERS} writers`,
      () => runLoad(WRITERS, half(LIMITS.concurrent.opsPerWriter), LIMITS.concurrent.ms / ROUNDS, appender()),
      () => runLoad(WRITERS, half(LIMITS.concurrent.opsPerWriter), LIMITS.concurrent.ms / ROUNDS, rawInserter()),
    );
    const batch = await measure(
      `batches of ${BATCH}`,
      () => runLoad(1, half(LIMITS.batch.ops), LIMITS.batch.ms / ROUNDS, batchAppender),
      () => runLoad(1, half(LIMITS.batch.ops), LIMITS.batch.ms / ROUNDS, rawBatchInserter),
    );

    const row = (what: string, unit: number, m: { o: LoadResult; b: LoadResult }) => {
      const ours = rate(m.o.ops * unit, m.o.ms);
      const base = rate(m.b.ops * unit, m.b.ms);
      return [what, m.o.ops * unit, perSecond(ours), ms(median(m.o.latencies)), ms(p99(m.o.latencies)), perSecond(base), ms(median(m.b.latencies)), ms(p99(m.b.latencies)), ratio(ours / base)];
    };
    return {
      title: '1. Append',
      goal: '≥ 0.5× the baseline',
      columns: ['what', 'events', 'event store', 'median', 'p99', 'baseline', 'median', 'p99', 'ratio'],
      rows: [
        row('single-event appends, 1 writer (events/s)', 1, single),
        row(`single-event appends, ${WRITERS} writers (events/s)`, 1, concurrent),
        row(`appends of ${BATCH} events, 1 writer (events/s)`, BATCH, batch),
      ],
      notes: [
        'Event store: `PostgresEventStore.append` (one PL/pgSQL call with the events as one JSON document: expected revision, insert, event ids looked up only on a revision mismatch or a refused id; then a NOTIFY after the commit, coalesced), ' +
          `${EVENTS_PER_STREAM} events per stream with the exact expected revision; latency per append.`,
        'Baseline: a single-row INSERT per transaction, and one multi-row INSERT (unnest) per batch, into a copy of `event_store.events` ' +
          '(`like … including all`: same identity, defaults, unique constraints and indexes) on the same server and pool size.',
        `Bounded: at most ${LIMITS.single.ops} / ${WRITERS}×${LIMITS.concurrent.opsPerWriter} / ${LIMITS.batch.ops} operations or 4 s per figure, in ${ROUNDS} rounds alternating with the baseline.`,
      ],
    };
  } finally {
    await store.close();
    await raw.end();
    await database.drop();
  }
}

import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import {
  createTestDatabase,
  startEmbeddedTestServer,
  systemTestServer,
  type TestDatabase,
  type TestServer,
} from '@koppelstuk/database';
import { collect, describeEventStore, take, testEvent, type ConformanceTarget } from '../conformance/describe-event-store';
import type { NewEvent } from '../event-store';
import { PostgresEventStore } from './postgres-event-store';

async function postgresTarget(server: TestServer): Promise<ConformanceTarget & { database: TestDatabase; writers: Pool }> {
  const database = await createTestDatabase(server, 'event_store');
  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 20 });
  const writers = new Pool({ connectionString: database.url, max: 8 });
  // pool.end() resolves before its sockets close; the forced drop below may still hit one.
  writers.on('error', () => undefined);
  return {
    store,
    database,
    writers,
    appendWithCommitDelay: (stream, events, delayMs, earlyTransactionId) =>
      appendInSlowTransaction(writers, stream, events, {
        takeTransactionIdFirst: earlyTransactionId,
        beforeInsertMs: earlyTransactionId ? delayMs : 0,
        beforeCommitMs: delayMs,
      }),
    async dispose() {
      await store.close();
      await writers.end();
      await database.drop();
      await server.stop();
    },
  };
}

interface SlowTransaction {
  takeTransactionIdFirst: boolean;
  beforeInsertMs: number;
  beforeCommitMs: number;
  onInserted?: () => void;
}

/** The adapter's own append function, but inside a transaction that is held open around the insert. */
async function appendInSlowTransaction(pool: Pool, stream: string, events: NewEvent[], slow: SlowTransaction) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    if (slow.takeTransactionIdFirst) await client.query('select pg_current_xact_id()');
    if (slow.beforeInsertMs > 0) await client.query('select pg_sleep($1)', [slow.beforeInsertMs / 1000]);
    const { rows } = await client.query(
      'select outcome from event_store.append_events($1, -1, $2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[])',
      [stream, events.map((e) => e.id), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data)), events.map((e) => JSON.stringify(e.metadata))],
    );
    if (rows[0]?.outcome !== 'appended') throw new Error(`append failed: ${rows[0]?.outcome}`);
    slow.onInserted?.();
    if (slow.beforeCommitMs > 0) await client.query('select pg_sleep($1)', [slow.beforeCommitMs / 1000]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

describeEventStore('PostgreSQL, embedded server', async () => postgresTarget(await startEmbeddedTestServer()));

const system = systemTestServer();
if (system) {
  describeEventStore('PostgreSQL, DATABASE_URL server', () => postgresTarget(system));
} else {
  describe.skip('EventStore conformance: PostgreSQL, DATABASE_URL server — skipped: DATABASE_URL is not set', () => {
    it('runs when DATABASE_URL names a PostgreSQL server', () => undefined);
  });
}

describe('PostgreSQL: an event committed late is never skipped', () => {
  let target: Awaited<ReturnType<typeof postgresTarget>>;
  beforeAll(async () => {
    target = await postgresTarget(systemTestServer() ?? (await startEmbeddedTestServer()));
  });
  afterAll(() => target.dispose());

  it('a subscriber waits for the slow transaction, where a reader by sequence number alone skips its event', async () => {
    const prefix = `late-${randomUUID().slice(0, 8)}-`;
    await target.store.append(`${prefix}first`, [testEvent('First')], { expectedRevision: 'no_stream' });
    const subscription = target.store.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
    const received = take(subscription, 3);
    const naive = new NaiveSequenceReader(target.database.url, prefix);
    await naive.poll();

    // The slow writer takes its sequence number (and transaction id) first and commits last.
    let inserted!: () => void;
    const slowInserted = new Promise<void>((resolve) => (inserted = resolve));
    const slow = appendInSlowTransaction(target.writers, `${prefix}slow`, [testEvent('Slow')], {
      takeTransactionIdFirst: false,
      beforeInsertMs: 0,
      beforeCommitMs: 1500,
      onInserted: inserted,
    });
    await slowInserted;
    await target.store.append(`${prefix}fast`, [testEvent('Fast')], { expectedRevision: 'no_stream' });
    await naive.poll(); // sees "Fast" and moves past the slow event's sequence number
    await slow;
    await naive.poll();

    expect(naive.seen).toEqual(['First', 'Fast']); // the bug the visibility rule prevents
    // The log orders by appending transaction: the slow one started first, so its event comes first.
    expect((await received).map((event) => event.type)).toEqual(['First', 'Slow', 'Fast']);
    expect((await collect(target.store.readAll({ filter: { streamPrefixes: [prefix] } }))).map((e) => e.type)).toEqual([
      'First',
      'Slow',
      'Fast',
    ]);
    await subscription.stop();
  });
});

/** What a reader ordered by sequence number alone (no visibility rule) would deliver. */
class NaiveSequenceReader {
  readonly seen: string[] = [];
  private checkpoint = 0n;
  constructor(
    private readonly url: string,
    private readonly prefix: string,
  ) {}
  async poll(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ position: string; event_type: string }>(
        `select position, event_type from event_store.events where position > $1 and stream_name ^@ $2 order by position`,
        [this.checkpoint.toString(), this.prefix],
      );
      for (const row of rows) {
        this.seen.push(row.event_type);
        this.checkpoint = BigInt(row.position);
      }
    } finally {
      await client.end();
    }
  }
}

describe('PostgreSQL: reading the log in bounded windows', () => {
  let target: Awaited<ReturnType<typeof postgresTarget>>;
  let small: PostgresEventStore;
  beforeAll(async () => {
    target = await postgresTarget(systemTestServer() ?? (await startEmbeddedTestServer()));
    // Tiny pages, so that a few hundred events cross many windows, read-aheads and page growth.
    small = await PostgresEventStore.connect({ connectionString: target.database.url, poolSize: 4, pageSize: 7, catchUpPageSize: 20, fallbackPollMs: 600_000 });
  });
  afterAll(async () => {
    await small.close();
    await target.dispose();
  });

  it('sparse and dense filters over many windows give exactly what filtering the whole log gives', async () => {
    const prefix = `win-${randomUUID().slice(0, 8)}-`;
    // 300 events; "rare" events are 1 in 37, so most windows hold none of them.
    for (let n = 0; n < 300; n += 10) {
      await Promise.all(
        Array.from({ length: 10 }, (_, k) =>
          small.append(`${prefix}${(n + k) % 37 === 0 ? 'rare' : 'common'}-${n + k}`, [testEvent((n + k) % 3 === 0 ? 'Third' : 'Other', { n: n + k })], {
            expectedRevision: 'no_stream',
          }),
        ),
      );
    }
    const everything = (await collect(small.readAll({ filter: { streamPrefixes: [prefix] } }))).map((e) => e.id);
    expect(everything).toHaveLength(300);
    const all = await collect(target.store.readAll({ filter: { streamPrefixes: [prefix] } }));
    expect(all.map((e) => e.id)).toEqual(everything);
    for (const filter of [{ streamPrefixes: [`${prefix}rare`] }, { eventTypes: ['Third'] }, { streamPrefixes: [`${prefix}rare`], eventTypes: ['Third'] }]) {
      const expected = all.filter((e) => (!filter.streamPrefixes || e.stream.startsWith(filter.streamPrefixes[0] as string)) && (!filter.eventTypes || e.type === 'Third'));
      const read = await collect(small.readAll({ filter }));
      expect(read.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      // maxCount counts matching events, however many windows it takes to find them.
      expect((await collect(small.readAll({ filter, maxCount: 3 }))).map((e) => e.id)).toEqual(expected.slice(0, 3).map((e) => e.id));
      const subscription = small.subscribeToAll({ filter });
      const iterator = subscription[Symbol.asyncIterator]();
      const pull = async (count: number) => {
        const ids: string[] = [];
        while (ids.length < count) ids.push(((await iterator.next()).value as { id: string }).id);
        return ids;
      };
      expect(await pull(expected.length)).toEqual(expected.map((e) => e.id));
      // Then live: the notification sent after the next matching append's commit wakes it (the poll would take 10 minutes).
      const later = testEvent('Third', { n: 1000 });
      const next = Promise.race([pull(1), new Promise((_, reject) => setTimeout(() => reject(new Error('not woken')), 10_000).unref())]);
      await small.append(`${prefix}rare-later-${randomUUID()}`, [later], { expectedRevision: 'no_stream' });
      expect(await next).toEqual([later.id]);
      await subscription.stop();
      all.push((await collect(target.store.readAll({ filter: { streamPrefixes: [`${prefix}rare-later`] } }))).at(-1) as (typeof all)[number]);
    }
  });
});

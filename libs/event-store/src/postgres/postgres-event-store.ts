import { Pool, type PoolConfig } from 'pg';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventStore,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Subscription,
  SubscribeToAllOptions,
} from '../event-store';
import { EventIdConflict, WrongExpectedRevision } from '../errors';
import { comparePositions, type Position } from '../position';
import {
  validateAppend,
  validateReadAllOptions,
  validateReadStreamOptions,
  validateStreamName,
  validateSubscribeOptions,
} from '../validation';
import { AppendNotifier } from './append-notifier';
import { APPENDED_CHANNEL, migrateEventStore } from './migrations';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Connections for appends and reads (the LISTEN connection comes on top). Default 10. */
  readonly poolSize?: number;
  /** How often a live subscription looks without a notification, in case one was lost. Default 2000 ms. */
  readonly fallbackPollMs?: number;
  /** Log rows scanned per round trip when reading the global log. Default 500. */
  readonly pageSize?: number;
  /**
   * A subscription that keeps finding full pages (it is catching up) doubles its page up to this many rows,
   * and reads the next page while its consumer works on the current one. Default 4 × pageSize.
   */
  readonly catchUpPageSize?: number;
  readonly applicationName?: string;
}

interface EventRow {
  kind: 'event' | 'scanned' | 'head' | 'hidden';
  commit_position: string;
  position: string;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  event_type: string;
  data: JsonObject;
  metadata: EventMetadata;
  recorded_at: Date;
}

const EVENT_COLUMNS = `e.transaction_id::text as commit_position, e.position, e.event_id, e.stream_name,
  e.stream_revision, e.event_type, e.data, e.metadata, e.recorded_at`;
const NULL_COLUMNS = `null::uuid, null::text, null::bigint, null::text, null::jsonb, null::jsonb, null::timestamptz`;

/** One round trip over the global log: the events of the next window of rows, and how far the window reached. */
interface Page {
  readonly events: RecordedEvent[];
  /** Where the next page starts (exclusive) when `more` is true: the last event returned, or the window's end. */
  readonly resume: Position | null;
  /** The window was full (or the limit was reached): more rows may follow right away. */
  readonly more: boolean;
  readonly head: Position | null;
  readonly hidden: boolean;
}
const EXPECTED_CODE = { any: -1n, no_stream: -2n, stream_exists: -3n } as const;
const UNIQUE_VIOLATION = '23505';
const MAX_APPEND_ATTEMPTS = 25;

/**
 * The event store on PostgreSQL.
 *
 * Readers of the global log only see events of transactions older than every transaction still running
 * (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`) and read in (transaction id, sequence)
 * order. An event whose transaction commits late therefore always sorts after everything a reader has
 * already passed: no reader can skip it. The conformance suite proves this under concurrent writers.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly notifier: AppendNotifier;
  private readonly subscriptions = new Set<Subscription>();
  private readonly fallbackPollMs: number;
  private readonly pageSize: number;
  private readonly catchUpPageSize: number;
  /** The NOTIFY being sent, and whether another append committed since it was started. */
  private announcing: Promise<void> | null = null;
  private announceAgain = false;
  private closed = false;

  private constructor(options: PostgresEventStoreOptions) {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'koppelstuk-event-store',
    };
    this.pool = new Pool(config);
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.notifier = new AppendNotifier({ connectionString: options.connectionString });
    this.fallbackPollMs = options.fallbackPollMs ?? 2000;
    this.pageSize = options.pageSize ?? 500;
    this.catchUpPageSize = Math.max(this.pageSize, options.catchUpPageSize ?? 4 * this.pageSize);
  }

  /** Connects and brings the event store schema up to date. */
  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await migrateEventStore(store.pool);
    } catch (error) {
      await store.pool.end().catch(() => undefined);
      throw error;
    }
    return store;
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const { expectedRevision, serialised } = validateAppend(stream, events, options);
    const expected = typeof expectedRevision === 'bigint' ? expectedRevision : EXPECTED_CODE[expectedRevision];
    // One JSON document: the texts validateAppend made, joined, not parsed and serialised again.
    const document = `[${events
      .map((event, index) => {
        const item = serialised[index] as { data: string; metadata: string };
        return `{"id":"${event.id}","type":${JSON.stringify(event.type)},"data":${item.data},"metadata":${item.metadata}}`;
      })
      .join(',')}]`;
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await this.pool.query<{
          outcome: string;
          revision: string | null;
          commit_position: string | null;
          prepare_position: string | null;
        }>(
          // After a unique violation the ids are looked up first: the refusal may mean this append already landed.
          'select * from event_store.append_events($1, $2, $3::jsonb, false, $4)',
          [stream, expected.toString(), document, attempt > 1],
        );
        const row = rows[0];
        if (row?.outcome === 'appended') this.announce();
        switch (row?.outcome) {
          case 'appended':
          case 'duplicate':
            return {
              nextExpectedRevision: BigInt(row.revision as string),
              position: { commit: BigInt(row.commit_position as string), prepare: BigInt(row.prepare_position as string) },
            };
          case 'wrong_expected_revision':
            throw new WrongExpectedRevision(stream, expectedRevision, row.revision === null ? 'no_stream' : BigInt(row.revision));
          case 'id_conflict':
            throw new EventIdConflict(stream, events.map((event) => event.id));
          default:
            throw new Error(`append_events returned an unexpected outcome: ${String(row?.outcome)}`);
        }
      } catch (error) {
        // A concurrent writer took the same revision (or event id) and committed first. Deciding again
        // gives the right answer: a wrong revision, a duplicate, or (with 'any') the next free revision.
        if (isUniqueViolation(error) && attempt < MAX_APPEND_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async *readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    validateStreamName(stream);
    const { fromRevision, direction = 'forwards', maxCount } = validateReadStreamOptions(options);
    const forwards = direction === 'forwards';
    let next: bigint | null = fromRevision ?? (forwards ? 0n : null);
    let remaining = maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const limit = Math.min(remaining, this.pageSize);
      const { rows } = await this.pool.query<EventRow>(
        forwards
          ? `select ${EVENT_COLUMNS} from event_store.events e
              where e.stream_name = $1 and e.stream_revision >= $2 order by e.stream_revision limit $3`
          : `select ${EVENT_COLUMNS} from event_store.events e
              where e.stream_name = $1 and ($2::bigint is null or e.stream_revision <= $2)
              order by e.stream_revision desc limit $3`,
        [stream, next === null ? null : next.toString(), limit],
      );
      for (const row of rows) yield toRecordedEvent(row);
      remaining -= rows.length;
      if (rows.length < limit) return;
      const last = BigInt((rows[rows.length - 1] as EventRow).stream_revision);
      if (!forwards && last === 0n) return;
      next = forwards ? last + 1n : last - 1n;
    }
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    const { fromPosition = 'start', maxCount, filter } = validateReadAllOptions(options);
    let after: Position = fromPosition === 'start' ? { commit: 0n, prepare: 0n } : fromPosition;
    let inclusive = fromPosition !== 'start';
    let remaining = maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const limit = Math.min(remaining, this.pageSize);
      const page = await this.fetchPage(after, inclusive, limit, filter, false);
      for (const event of page.events) yield event;
      remaining -= page.events.length;
      if (!page.more || !page.resume) return;
      after = page.resume;
      inclusive = false;
    }
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    const { fromPosition = 'start', filter } = validateSubscribeOptions(options);
    const controller = new AbortController();
    const subscriptions = this.subscriptions;
    const follow = this.follow.bind(this);
    let started = false;
    // "end" means the head when subscribe was called, not when iteration begins.
    const start: Promise<Position> =
      fromPosition === 'start'
        ? Promise.resolve({ commit: 0n, prepare: 0n })
        : fromPosition === 'end'
          ? this.headPosition().then((head) => head ?? { commit: 0n, prepare: 0n })
          : Promise.resolve(fromPosition);
    start.catch(() => undefined);
    const subscription: Subscription = {
      async stop() {
        controller.abort();
        subscriptions.delete(subscription);
      },
      [Symbol.asyncIterator]() {
        if (started) throw new Error('a subscription can be iterated only once');
        started = true;
        return follow(start, filter, controller.signal, () => subscriptions.delete(subscription));
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position | null> {
    const { rows } = await this.pool.query<{ commit_position: string; position: string }>(
      `select e.transaction_id::text as commit_position, e.position from event_store.events e
        where e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        order by e.transaction_id desc, e.position desc limit 1`,
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.position) } : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    while (this.announcing) await this.announcing;
    await this.notifier.close();
    await this.pool.end();
  }

  /**
   * Wakes subscribers (of every process) after an append has committed. The NOTIFY is sent in its own tiny
   * transaction, not inside the append's: PostgreSQL holds a database-wide lock from a notifying
   * transaction's pre-commit until its commit is flushed, which would make concurrent appends commit one
   * at a time. At most one NOTIFY per store is in flight; appends committing meanwhile are covered by one
   * more, sent when it returns, so every append is followed by a NOTIFY sent after its commit. The
   * notification itself needs no durability (synchronous_commit off for it): a lost one is covered by the
   * subscribers' fallback poll, exactly as before.
   */
  private announce(): void {
    if (this.closed) return;
    if (this.announcing) {
      this.announceAgain = true;
      return;
    }
    this.announcing = this.pool
      .query(`select set_config('synchronous_commit', 'off', true), pg_notify('${APPENDED_CHANNEL}', '')`)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.announcing = null;
        if (this.announceAgain) {
          this.announceAgain = false;
          this.announce();
        }
      });
  }

  private async *follow(
    start: Promise<Position>,
    filter: EventFilter | undefined,
    signal: AbortSignal,
    finished: () => void,
  ): AsyncGenerator<RecordedEvent> {
    // The page read ahead while the consumer works on the current one (only while catching up).
    // Its notifier generation is the one read before it was fetched, so that a notification arriving after
    // its snapshot is never mistaken for one it already saw.
    let ahead: { after: Position; generation: number; page: Promise<Page> } | null = null;
    try {
      await this.notifier.ensureListening();
      let after = await start;
      let quickRetryMs = 0;
      let size = this.pageSize;
      while (!signal.aborted) {
        const prefetched = ahead && comparePositions(ahead.after, after) === 0 ? ahead : null;
        ahead = null;
        const generation = prefetched ? prefetched.generation : this.notifier.currentGeneration;
        const page: Page = prefetched ? await prefetched.page : await this.fetchPage(after, false, size, filter, true);
        if (page.more && page.resume) {
          // Catching up: read the next page now, grow the pages, and hand out this one meanwhile.
          size = Math.min(size * 2, this.catchUpPageSize);
          const aheadGeneration = this.notifier.currentGeneration;
          const next = this.fetchPage(page.resume, false, size, filter, true);
          next.catch(() => undefined); // if nobody comes back for it (stopped), its failure is nobody's
          ahead = { after: page.resume, generation: aheadGeneration, page: next };
        }
        for (const event of page.events) {
          if (signal.aborted) return;
          yield event;
          after = event.position;
        }
        if (page.more && page.resume) {
          // Events the filter dropped at the end of the window are passed too.
          if (comparePositions(page.resume, after) > 0) after = page.resume;
          continue;
        }
        size = this.pageSize;
        // Caught up: everything up to the visible head was scanned, including events the filter dropped.
        if (page.head && comparePositions(page.head, after) > 0) after = page.head;
        if (page.hidden) {
          // Committed events wait behind an older transaction that is still running; look again soon.
          quickRetryMs = Math.min(Math.max(quickRetryMs * 2, 2), 100);
          await this.notifier.wait(generation, quickRetryMs, signal);
        } else {
          quickRetryMs = 0;
          await this.notifier.wait(generation, this.fallbackPollMs, signal);
        }
      }
    } finally {
      finished();
    }
  }

  /**
   * The next window of the log after `after`: at most `window` visible rows in global order (an ordered
   * index range scan, whatever the filter), of which the matching ones (at most `limit`) are returned.
   * Scanning a bounded window instead of asking for "the next `limit` matching events" keeps every page
   * O(window): the planner cannot estimate a filter's selectivity and would otherwise sort everything
   * after `after` for each page (quadratic in the log's length).
   */
  private async fetchPage(
    after: Position,
    inclusive: boolean,
    limit: number,
    filter: EventFilter | undefined,
    withProgress: boolean,
  ): Promise<Page> {
    const window = filter ? Math.max(limit, this.pageSize) : limit;
    const params: unknown[] = [after.commit.toString(), after.prepare.toString(), limit, window];
    const conditions: string[] = [];
    if (filter?.streamPrefixes) {
      params.push(filter.streamPrefixes);
      conditions.push(`e.stream_name ^@ any($${params.length}::text[])`);
    }
    if (filter?.eventTypes) {
      params.push(filter.eventTypes);
      conditions.push(`e.event_type = any($${params.length}::text[])`);
    }
    const progressQueries = `
      union all
      (select 'head', e.transaction_id::text, e.position, ${NULL_COLUMNS} from event_store.events e
        where e.transaction_id < (select xmin from horizon) order by e.transaction_id desc, e.position desc limit 1)
      union all
      (select 'hidden', e.transaction_id::text, e.position, ${NULL_COLUMNS} from event_store.events e
        where e.transaction_id >= greatest((select xmin from horizon), $1::xid8)
          and (e.transaction_id > $1::xid8 or (e.transaction_id = $1::xid8 and e.position > $2::bigint))
        limit 1)`;
    const { rows } = await this.pool.query<EventRow>(
      `with horizon as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
       scanned as materialized (
         select e.* from event_store.events e
          where (e.transaction_id, e.position) ${inclusive ? '>=' : '>'} ($1::xid8, $2::bigint)
            and e.transaction_id < (select xmin from horizon)
          order by e.transaction_id, e.position limit $4)
       (select 'event' as kind, ${EVENT_COLUMNS} from scanned e
         ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''} order by e.transaction_id, e.position limit $3)
       union all
       (select 'scanned', e.transaction_id::text, e.position, null::uuid, null::text, (select count(*) from scanned),
               null::text, null::jsonb, null::jsonb, null::timestamptz
          from scanned e order by e.transaction_id desc, e.position desc limit 1)
       ${withProgress ? progressQueries : ''}`,
      params,
    );
    const events: RecordedEvent[] = [];
    let head: Position | null = null;
    let hidden = false;
    let windowEnd: Position | null = null;
    let scanned = 0;
    for (const row of rows) {
      if (row.kind === 'event') events.push(toRecordedEvent(row));
      else if (row.kind === 'scanned') {
        windowEnd = { commit: BigInt(row.commit_position), prepare: BigInt(row.position) };
        scanned = Number(row.stream_revision);
      } else if (row.kind === 'head') head = { commit: BigInt(row.commit_position), prepare: BigInt(row.position) };
      else hidden = true;
    }
    events.sort((a, b) => comparePositions(a.position, b.position));
    const last = events[events.length - 1];
    if (events.length >= limit && last) return { events, resume: last.position, more: true, head, hidden };
    return { events, resume: windowEnd, more: scanned >= window, head, hidden };
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    stream: row.stream_name,
    revision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.position) },
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === UNIQUE_VIOLATION;
}

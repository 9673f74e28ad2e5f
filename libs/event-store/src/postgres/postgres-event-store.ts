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
import { migrateEventStore } from './migrations';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Connections for appends and reads (the LISTEN connection comes on top). Default 10. */
  readonly poolSize?: number;
  /** How often a live subscription looks without a notification, in case one was lost. Default 2000 ms. */
  readonly fallbackPollMs?: number;
  /** Events fetched per round trip when reading the global log. Default 500. */
  readonly pageSize?: number;
  readonly applicationName?: string;
}

interface EventRow {
  kind: 'event' | 'head' | 'hidden';
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
    const params = [
      stream,
      expected.toString(),
      events.map((event) => event.id),
      events.map((event) => event.type),
      serialised.map((item) => item.data),
      serialised.map((item) => item.metadata),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await this.pool.query<{
          outcome: string;
          revision: string | null;
          commit_position: string | null;
          prepare_position: string | null;
        }>('select * from event_store.append_events($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])', params);
        const row = rows[0];
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
      const { events } = await this.fetchPage(after, inclusive, limit, filter, false);
      for (const event of events) yield event;
      remaining -= events.length;
      if (events.length < limit) return;
      after = (events[events.length - 1] as RecordedEvent).position;
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
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.notifier.close();
    await this.pool.end();
  }

  private async *follow(
    start: Promise<Position>,
    filter: EventFilter | undefined,
    signal: AbortSignal,
    finished: () => void,
  ): AsyncGenerator<RecordedEvent> {
    try {
      await this.notifier.ensureListening();
      let after = await start;
      let quickRetryMs = 0;
      while (!signal.aborted) {
        const generation = this.notifier.currentGeneration;
        const page = await this.fetchPage(after, false, this.pageSize, filter, true);
        for (const event of page.events) {
          if (signal.aborted) return;
          yield event;
          after = event.position;
        }
        if (page.events.length === this.pageSize) continue;
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

  private async fetchPage(
    after: Position,
    inclusive: boolean,
    limit: number,
    filter: EventFilter | undefined,
    withProgress: boolean,
  ): Promise<{ events: RecordedEvent[]; head: Position | null; hidden: boolean }> {
    const params: unknown[] = [after.commit.toString(), after.prepare.toString(), limit];
    const conditions = [
      `(e.transaction_id, e.position) ${inclusive ? '>=' : '>'} ($1::xid8, $2::bigint)`,
      'e.transaction_id < h.xmin',
    ];
    if (filter?.streamPrefixes) {
      params.push(filter.streamPrefixes);
      conditions.push(`e.stream_name ^@ any($${params.length}::text[])`);
    }
    if (filter?.eventTypes) {
      params.push(filter.eventTypes);
      conditions.push(`e.event_type = any($${params.length}::text[])`);
    }
    const eventsQuery = `(select 'event' as kind, ${EVENT_COLUMNS} from event_store.events e, horizon h
        where ${conditions.join(' and ')} order by e.transaction_id, e.position limit $3)`;
    const progressQueries = `
      union all
      (select 'head', e.transaction_id::text, e.position, ${NULL_COLUMNS} from event_store.events e, horizon h
        where e.transaction_id < h.xmin order by e.transaction_id desc, e.position desc limit 1)
      union all
      (select 'hidden', e.transaction_id::text, e.position, ${NULL_COLUMNS} from event_store.events e, horizon h
        where (e.transaction_id, e.position) > ($1::xid8, $2::bigint) and e.transaction_id >= h.xmin limit 1)`;
    const { rows } = await this.pool.query<EventRow>(
      `with horizon as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
       ${eventsQuery} ${withProgress ? progressQueries : ''}`,
      params,
    );
    const events: RecordedEvent[] = [];
    let head: Position | null = null;
    let hidden = false;
    for (const row of rows) {
      if (row.kind === 'event') events.push(toRecordedEvent(row));
      else if (row.kind === 'head') head = { commit: BigInt(row.commit_position), prepare: BigInt(row.position) };
      else hidden = true;
    }
    events.sort((a, b) => comparePositions(a.position, b.position));
    return { events, head, hidden };
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

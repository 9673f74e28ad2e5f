import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type AppendStreamState,
  type Filter,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Subscription,
  SubscribeToAllOptions,
} from '../event-store';
import { EventIdConflict, WrongExpectedRevision } from '../errors';
import type { Position } from '../position';
import {
  validateAppend,
  validateReadAllOptions,
  validateReadStreamOptions,
  validateStreamName,
  validateSubscribeOptions,
} from '../validation';

/** The parts of the client this adapter uses; the unit test substitutes it to check the option mapping. */
export type KurrentClient = Pick<KurrentDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

/**
 * Maps the port's expected revision to the client's append option. The client's option is `streamState`:
 * an `expectedRevision` key is silently ignored by @kurrent/kurrentdb-client, which would turn the
 * concurrency check off, so this mapping is unit-tested case by case.
 */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

/**
 * The event store on KurrentDB (or EventStoreDB). Positions are KurrentDB's commit/prepare positions.
 * System streams and events (names starting with "$") are never returned.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly client: KurrentClient) {}

  static connect(connectionString: string): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString));
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const { expectedRevision } = validateAppend(stream, events, options);
    const ids = events.map((event) => event.id.toLowerCase());
    // KurrentDB only deduplicates reliably when the expected revision is exact; for 'any' and
    // 'stream_exists' look for an earlier append of these ids first (referral streams are short).
    if (expectedRevision === 'any' || expectedRevision === 'stream_exists') {
      const earlier = await this.findEarlierAppend(stream, ids, 0n);
      if (earlier) return earlier;
    }
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map((event) => ({
          id: event.id,
          contentType: 'application/json' as const,
          type: event.type,
          data: event.data as JsonObject,
          metadata: event.metadata as unknown as JsonObject,
        })),
        { streamState: toStreamState(expectedRevision) },
      );
      const position = result.position ?? (await this.positionOf(stream, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const from = typeof expectedRevision === 'bigint' ? expectedRevision + 1n : 0n;
      const earlier = await this.findEarlierAppend(stream, ids, from);
      if (earlier) return earlier;
      const actual = error.actualState;
      throw new WrongExpectedRevision(stream, expectedRevision, typeof actual === 'bigint' && actual >= 0n ? actual : 'no_stream');
    }
  }

  async *readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    validateStreamName(stream);
    const { fromRevision, direction = 'forwards', maxCount } = validateReadStreamOptions(options);
    const forwards = direction === 'forwards';
    try {
      const reader = this.client.readStream(stream, {
        fromRevision: fromRevision ?? (forwards ? START : END),
        direction: forwards ? FORWARDS : BACKWARDS,
        ...(maxCount === undefined ? {} : { maxCount }),
      });
      for await (const resolved of reader) {
        if (resolved.event) yield toRecordedEvent(resolved.event as AllStreamRecordedEvent);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    const { fromPosition = 'start', maxCount, filter } = validateReadAllOptions(options);
    let remaining = maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const reader = this.client.readAll({
      fromPosition: fromPosition === 'start' ? START : fromPosition,
      direction: FORWARDS,
      ...serverFilter(filter),
    });
    for await (const resolved of reader) {
      const event = resolved.event;
      if (!event || !matches(event, filter)) continue;
      yield toRecordedEvent(event);
      if (--remaining <= 0) return;
    }
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    const { fromPosition = 'start', filter } = validateSubscribeOptions(options);
    const from: ReadPosition = fromPosition === 'start' ? START : fromPosition === 'end' ? END : fromPosition;
    const inner = this.client.subscribeToAll({ fromPosition: from, ...serverFilter(filter) });
    const subscriptions = this.subscriptions;
    let stopped = false;
    const subscription: Subscription = {
      async stop() {
        if (stopped) return;
        stopped = true;
        subscriptions.delete(subscription);
        await inner.unsubscribe();
      },
      async *[Symbol.asyncIterator]() {
        try {
          // The client's subscription is a Readable stream: iterating it pulls, which is the backpressure.
          for await (const resolved of inner) {
            if (stopped) return;
            const event = resolved.event;
            if (event && matches(event, filter)) yield toRecordedEvent(event);
          }
        } finally {
          await subscription.stop();
        }
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position | null> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 100 })) {
      if (resolved.event && !isSystem(resolved.event)) return resolved.event.position;
    }
    return null;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  /** If `ids` were appended to the stream before as one batch, the result that append returned. */
  private async findEarlierAppend(stream: string, ids: readonly string[], fromRevision: bigint): Promise<AppendResult | null> {
    const wanted = new Set(ids);
    const found: RecordedEvent[] = [];
    for await (const event of this.readStream(stream, { fromRevision })) {
      if (wanted.has(event.id.toLowerCase())) found.push(event);
    }
    if (found.length === 0) return null;
    const consecutive = found.every(
      (event, index) => event.id.toLowerCase() === ids[index] && event.revision === (found[0] as RecordedEvent).revision + BigInt(index),
    );
    if (found.length !== ids.length || !consecutive) throw new EventIdConflict(stream, ids);
    const last = found[found.length - 1] as RecordedEvent;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private async positionOf(stream: string, revision: bigint): Promise<Position> {
    for await (const event of this.readStream(stream, { fromRevision: revision, maxCount: 1 })) return event.position;
    throw new Error(`KurrentDB did not return the event just appended to ${stream}@${revision}`);
  }
}

function serverFilter(filter: EventFilter | undefined): { filter?: Filter } {
  // The server takes one kind of filter; the other (if both are given) is applied here.
  if (filter?.streamPrefixes) return { filter: streamNameFilter({ prefixes: [...filter.streamPrefixes] }) };
  if (filter?.eventTypes) return { filter: eventTypeFilter({ prefixes: [...filter.eventTypes] }) };
  return {};
}

function matches(event: AllStreamRecordedEvent, filter: EventFilter | undefined): boolean {
  if (isSystem(event)) return false;
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
}

function isSystem(event: AllStreamRecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toRecordedEvent(event: AllStreamRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision: event.revision,
    position: event.position,
    data: event.data as JsonObject,
    metadata: event.metadata as unknown as EventMetadata,
    recordedAt: event.created,
  };
}

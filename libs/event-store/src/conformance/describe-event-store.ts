import { randomUUID } from 'node:crypto';
import type { EventStore, JsonObject, NewEvent, RecordedEvent, Subscription } from '../event-store';
import { EventIdConflict, InvalidEventStoreInput, WrongExpectedRevision } from '../errors';
import { comparePositions } from '../position';

/** What an adapter's test file provides to the shared suite. */
export interface ConformanceTarget {
  readonly store: EventStore;
  /**
   * Appends inside a writing transaction that stays open `delayMs` before it commits, optionally taking its
   * transaction id before inserting. Adapters without client-visible transactions leave it out.
   */
  readonly appendWithCommitDelay?: (stream: string, events: NewEvent[], delayMs: number, earlyTransactionId: boolean) => Promise<void>;
  dispose(): Promise<void>;
}

export function testEvent(type = 'ThingHappened', data: JsonObject = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: { userId: 'conformance', organisationId: 'org-test', roles: ['tester'] },
      schemaVersion: 1,
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Reads `count` events from a subscription, failing clearly (not silently hanging) if they never come. */
export async function take(subscription: Subscription, count: number, withinMs = 30_000): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  if (count === 0) return events;
  const iterator = subscription[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`subscription delivered ${events.length} of ${count} events`)), withinMs);
  });
  try {
    while (events.length < count) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) break;
      events.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

/** The shared behaviour every EventStore adapter must show. */
export function describeEventStore(name: string, factory: () => Promise<ConformanceTarget>): void {
  describe(`EventStore conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let store: EventStore;
    let prefix: string;

    beforeAll(async () => {
      target = await factory();
      store = target.store;
    });
    afterAll(async () => {
      await target?.dispose();
    });
    beforeEach(() => {
      prefix = `t${randomUUID().replace(/-/g, '').slice(0, 12)}-`;
    });

    const streamNamed = (suffix: string) => `${prefix}${suffix}`;
    const streamEvents = (stream: string) => collect(store.readStream(stream));
    const allOfTest = () => collect(store.readAll({ filter: { streamPrefixes: [prefix] } }));

    describe('expected revision on a new stream', () => {
      it.each(['no_stream', 'any'] as const)('%s appends at revision 0', async (expectedRevision) => {
        const result = await store.append(streamNamed('new'), [testEvent()], { expectedRevision });
        expect(result.nextExpectedRevision).toBe(0n);
        expect(await streamEvents(streamNamed('new'))).toHaveLength(1);
      });

      it.each([['stream_exists'], [0n], [3n]] as const)('%s is refused with WrongExpectedRevision', async (expectedRevision) => {
        const stream = streamNamed('new');
        const failure = await store.append(stream, [testEvent()], { expectedRevision }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(WrongExpectedRevision);
        expect(failure).toMatchObject({ stream, expected: expectedRevision, actual: 'no_stream' });
        expect(await streamEvents(stream)).toHaveLength(0);
      });
    });

    describe('expected revision on an existing stream (at revision 1)', () => {
      let stream: string;
      beforeEach(async () => {
        stream = streamNamed('existing');
        await store.append(stream, [testEvent(), testEvent()], { expectedRevision: 'no_stream' });
      });

      it.each([['any'], ['stream_exists'], [1n]] as const)('%s appends at revision 2', async (expectedRevision) => {
        const result = await store.append(stream, [testEvent()], { expectedRevision });
        expect(result.nextExpectedRevision).toBe(2n);
        expect((await streamEvents(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      });

      it.each([['no_stream'], [0n], [2n], [7n]] as const)('%s is refused, carrying the actual revision', async (expectedRevision) => {
        const failure = await store.append(stream, [testEvent()], { expectedRevision }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(WrongExpectedRevision);
        expect(failure).toMatchObject({ stream, expected: expectedRevision, actual: 1n });
        expect(await streamEvents(stream)).toHaveLength(2);
      });
    });

    describe('append and read', () => {
      it('returns the next expected revision and a position that grows with every append', async () => {
        const first = await store.append(streamNamed('a'), [testEvent(), testEvent(), testEvent()], { expectedRevision: 'no_stream' });
        const second = await store.append(streamNamed('b'), [testEvent()], { expectedRevision: 'no_stream' });
        expect(first.nextExpectedRevision).toBe(2n);
        expect(comparePositions(second.position, first.position)).toBeGreaterThan(0);
        const all = await allOfTest();
        expect(all.map((event) => event.position)).toEqual(
          [...all.map((event) => event.position)].sort(comparePositions),
        );
        expect(all[2]?.position).toEqual(first.position);
        expect(all[3]?.position).toEqual(second.position);
      });

      it('records id, type, stream, revision, data, metadata and recorded time', async () => {
        const event = testEvent('ReferralMade', { kvk: '12345678', nested: { list: [1, 'two', null, true] } });
        const before = Date.now();
        await store.append(streamNamed('r'), [event], { expectedRevision: 'no_stream' });
        const [stored] = await streamEvents(streamNamed('r'));
        expect(stored).toMatchObject({
          id: event.id,
          type: 'ReferralMade',
          stream: streamNamed('r'),
          revision: 0n,
          data: event.data,
          metadata: event.metadata,
        });
        expect(stored?.recordedAt).toBeInstanceOf(Date);
        expect(stored?.recordedAt.getTime()).toBeGreaterThan(before - 60_000);
      });

      it('reads a stream forwards, backwards, from a revision and with a maximum count', async () => {
        const stream = streamNamed('s');
        await store.append(stream, Array.from({ length: 6 }, () => testEvent()), { expectedRevision: 'no_stream' });
        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await collect(store.readStream(stream, options))).map((event) => Number(event.revision));
        expect(await revisions({})).toEqual([0, 1, 2, 3, 4, 5]);
        expect(await revisions({ direction: 'backwards' })).toEqual([5, 4, 3, 2, 1, 0]);
        expect(await revisions({ fromRevision: 2n, maxCount: 3 })).toEqual([2, 3, 4]);
        expect(await revisions({ fromRevision: 3n, direction: 'backwards', maxCount: 2 })).toEqual([3, 2]);
        expect(await collect(store.readStream(streamNamed('never-written')))).toEqual([]);
      });

      it('round-trips a 1 MiB event', async () => {
        const big = 'x'.repeat(1024 * 1024);
        const event = testEvent('Big', { big, unicode: 'Zaanstad – café ☕ 🇳🇱' });
        await store.append(streamNamed('big'), [event], { expectedRevision: 'no_stream' });
        const [stored] = await streamEvents(streamNamed('big'));
        expect(stored?.data['big']).toBe(big);
        expect(stored?.data['unicode']).toBe('Zaanstad – café ☕ 🇳🇱');
      });
    });

    describe('idempotent append', () => {
      it.each([['any'], ['no_stream']] as const)(
        're-sending the same event ids (expected %s) returns the first result and writes nothing',
        async (expectedRevision) => {
          const stream = streamNamed('idem');
          const events = [testEvent(), testEvent()];
          const first = await store.append(stream, events, { expectedRevision });
          const again = await store.append(stream, events, { expectedRevision });
          expect(again).toEqual(first);
          expect(await streamEvents(stream)).toHaveLength(2);
          expect(await allOfTest()).toHaveLength(2);
        },
      );

      it('a retry after later appends still returns the original result', async () => {
        const stream = streamNamed('idem');
        const events = [testEvent()];
        const first = await store.append(stream, events, { expectedRevision: 'no_stream' });
        const second = [testEvent(), testEvent()];
        const secondResult = await store.append(stream, second, { expectedRevision: 0n });
        await store.append(stream, [testEvent()], { expectedRevision: 'stream_exists' });
        expect(await store.append(stream, events, { expectedRevision: 'no_stream' })).toEqual(first);
        expect(await store.append(stream, events, { expectedRevision: 'any' })).toEqual(first);
        expect(await store.append(stream, second, { expectedRevision: 0n })).toEqual(secondResult);
        expect(await store.append(stream, second, { expectedRevision: 'stream_exists' })).toEqual(secondResult);
        expect(await streamEvents(stream)).toHaveLength(4);
      });

      it('a batch overlapping an earlier one only in part is refused and writes nothing', async () => {
        const stream = streamNamed('idem');
        const [a, b] = [testEvent(), testEvent()];
        await store.append(stream, [a, b], { expectedRevision: 'no_stream' });
        const failure = await store.append(stream, [b, testEvent()], { expectedRevision: 'any' }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(EventIdConflict);
        expect(await streamEvents(stream)).toHaveLength(2);
      });

      it('the same event id may appear in another stream', async () => {
        const event = testEvent();
        await store.append(streamNamed('one'), [event], { expectedRevision: 'no_stream' });
        await store.append(streamNamed('two'), [event], { expectedRevision: 'no_stream' });
        expect(await allOfTest()).toHaveLength(2);
      });
    });

    describe('concurrency', () => {
      it('8 concurrent writers on one stream: exactly one wins each revision, the others get WrongExpectedRevision', async () => {
        const stream = streamNamed('contended');
        await store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
        for (let round = 0; round < 10; round++) {
          const expectedRevision = BigInt(round);
          const outcomes = await Promise.allSettled(
            Array.from({ length: 8 }, () => store.append(stream, [testEvent()], { expectedRevision })),
          );
          const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
          const losers = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(7);
          for (const loser of losers) {
            expect(loser.reason).toBeInstanceOf(WrongExpectedRevision);
            expect(loser.reason).toMatchObject({ stream, expected: expectedRevision, actual: expectedRevision + 1n });
          }
        }
        expect((await streamEvents(stream)).map((event) => Number(event.revision))).toEqual(Array.from({ length: 11 }, (_, i) => i));
      });

      it('8 concurrent writers with expected revision "any" on one stream all land, on distinct revisions', async () => {
        const stream = streamNamed('any');
        await Promise.all(Array.from({ length: 8 }, () => store.append(stream, [testEvent()], { expectedRevision: 'any' })));
        expect((await streamEvents(stream)).map((event) => Number(event.revision))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      });

      it('8 writers × 500 events on distinct streams, committing late at random: a live subscriber sees each once, in order', async () => {
        const writers = 8;
        const perWriter = 500;
        const subscription = store.subscribeToAll({ fromPosition: 'end', filter: { streamPrefixes: [prefix] } });
        const received = take(subscription, writers * perWriter, 120_000);
        const written = new Set<string>();
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            for (let i = 0; i < perWriter; i++) {
              const stream = streamNamed(`w${writer}-${i % 25}`);
              const event = testEvent('Written', { writer, i });
              written.add(event.id);
              if (target.appendWithCommitDelay) {
                await target.appendWithCommitDelay(stream, [event], Math.floor(Math.random() * 4), Math.random() < 0.5);
              } else {
                await store.append(stream, [event], { expectedRevision: 'any' });
              }
            }
          }),
        );
        const events = await received;
        await subscription.stop();
        expect(events).toHaveLength(writers * perWriter);
        expect(new Set(events.map((event) => event.id))).toEqual(written);
        for (let i = 1; i < events.length; i++) {
          expect(comparePositions((events[i - 1] as RecordedEvent).position, (events[i] as RecordedEvent).position)).toBeLessThan(0);
        }
        // The global log agrees with what the subscriber saw.
        expect((await allOfTest()).map((event) => event.id)).toEqual(events.map((event) => event.id));
      }, 180_000);
    });

    describe('readAll', () => {
      beforeEach(async () => {
        await store.append(streamNamed('a-1'), [testEvent('Made'), testEvent('Accepted')], { expectedRevision: 'no_stream' });
        await store.append(streamNamed('b-1'), [testEvent('Made')], { expectedRevision: 'no_stream' });
        await store.append(streamNamed('a-2'), [testEvent('Made'), testEvent('Declined')], { expectedRevision: 'no_stream' });
      });

      it('pages through the log with maxCount and an inclusive fromPosition', async () => {
        const all = await allOfTest();
        expect(all).toHaveLength(5);
        const firstPage = await collect(store.readAll({ maxCount: 2, filter: { streamPrefixes: [prefix] } }));
        expect(firstPage).toEqual(all.slice(0, 2));
        const secondPage = await collect(
          store.readAll({ fromPosition: all[2]?.position, maxCount: 2, filter: { streamPrefixes: [prefix] } }),
        );
        expect(secondPage).toEqual(all.slice(2, 4));
      });

      it('filters by stream prefix, by event type, and by both', async () => {
        const streamsOf = (events: RecordedEvent[]) => events.map((event) => `${event.stream.slice(prefix.length)}:${event.type}`);
        expect(streamsOf(await collect(store.readAll({ filter: { streamPrefixes: [streamNamed('a-')] } })))).toEqual([
          'a-1:Made',
          'a-1:Accepted',
          'a-2:Made',
          'a-2:Declined',
        ]);
        const made = await collect(store.readAll({ filter: { eventTypes: ['Made'] } }));
        expect(streamsOf(made.filter((event) => event.stream.startsWith(prefix)))).toEqual(['a-1:Made', 'b-1:Made', 'a-2:Made']);
        expect(
          streamsOf(await collect(store.readAll({ filter: { streamPrefixes: [streamNamed('a-')], eventTypes: ['Made', 'Declined'] } }))),
        ).toEqual(['a-1:Made', 'a-2:Made', 'a-2:Declined']);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, goes live, and resumes from a checkpoint with no gap and no repeat', async () => {
        const filter = { streamPrefixes: [prefix] };
        const first = Array.from({ length: 5 }, (_, i) => testEvent('Numbered', { i }));
        for (const event of first) await store.append(streamNamed('sub'), [event], { expectedRevision: 'any' });

        const subscription = store.subscribeToAll({ filter });
        const caughtUp = await take(subscription, 3);
        await subscription.stop();
        const checkpoint = (caughtUp[2] as RecordedEvent).position;

        const resumed = store.subscribeToAll({ fromPosition: checkpoint, filter });
        const pending = take(resumed, 4);
        const live = [testEvent('Numbered', { i: 5 }), testEvent('Numbered', { i: 6 })];
        for (const event of live) await store.append(streamNamed('sub'), [event], { expectedRevision: 'any' });
        const afterCheckpoint = await pending;
        await resumed.stop();
        expect([...caughtUp, ...afterCheckpoint].map((event) => event.data['i'])).toEqual([0, 1, 2, 3, 4, 5, 6]);
      });

      it('from "end" delivers only events appended after subscribing', async () => {
        await store.append(streamNamed('old'), [testEvent('Old')], { expectedRevision: 'no_stream' });
        const subscription = store.subscribeToAll({ fromPosition: 'end', filter: { streamPrefixes: [prefix] } });
        const pending = take(subscription, 1);
        // Give the subscription its starting point before the new event exists.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await store.append(streamNamed('new'), [testEvent('New')], { expectedRevision: 'no_stream' });
        expect((await pending).map((event) => event.type)).toEqual(['New']);
        await subscription.stop();
      });

      it('stop() ends the iteration', async () => {
        await store.append(streamNamed('x'), [testEvent()], { expectedRevision: 'no_stream' });
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
        const seen: RecordedEvent[] = [];
        const loop = (async () => {
          for await (const event of subscription) seen.push(event);
        })();
        await store.append(streamNamed('y'), [testEvent()], { expectedRevision: 'no_stream' });
        while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
        await subscription.stop();
        await loop;
        expect(seen).toHaveLength(2);
      });
    });

    describe('bad input gets a clear error and writes nothing', () => {
      class Money {
        constructor(readonly cents: number) {}
      }
      const cases: [string, () => Promise<unknown>][] = [
        ['an empty stream name', () => store.append('', [testEvent()], { expectedRevision: 'any' })],
        ['a blank stream name', () => store.append('   ', [testEvent()], { expectedRevision: 'any' })],
        ['no events', () => store.append(streamNamed('bad'), [], { expectedRevision: 'any' })],
        ['a negative revision', () => store.append(streamNamed('bad'), [testEvent()], { expectedRevision: -1n })],
        ['a number as revision', () => store.append(streamNamed('bad'), [testEvent()], { expectedRevision: 3 as unknown as bigint })],
        [
          'an unknown option',
          () => store.append(streamNamed('bad'), [testEvent()], { expectedRevision: 'any', expectedVersion: 3n } as never),
        ],
        ['data with a function', () => store.append(streamNamed('bad'), [testEvent('T', { f: (() => 1) as never })], { expectedRevision: 'any' })],
        ['data with a bigint', () => store.append(streamNamed('bad'), [testEvent('T', { n: 1n as never })], { expectedRevision: 'any' })],
        ['data with undefined', () => store.append(streamNamed('bad'), [testEvent('T', { u: undefined as never })], { expectedRevision: 'any' })],
        ['data with NaN', () => store.append(streamNamed('bad'), [testEvent('T', { n: Number.NaN })], { expectedRevision: 'any' })],
        ['data with a class instance', () => store.append(streamNamed('bad'), [testEvent('T', { m: new Money(5) as never })], { expectedRevision: 'any' })],
        ['data that is a string', () => store.append(streamNamed('bad'), [{ ...testEvent(), data: 'text' as never }], { expectedRevision: 'any' })],
        ['an id that is not a UUID', () => store.append(streamNamed('bad'), [{ ...testEvent(), id: 'nope' }], { expectedRevision: 'any' })],
        ['metadata without correlation id', () =>
          store.append(streamNamed('bad'), [{ ...testEvent(), metadata: { ...testEvent().metadata, correlationId: '' } }], {
            expectedRevision: 'any',
          })],
        ['a valid event next to an invalid one', () =>
          store.append(streamNamed('bad'), [testEvent(), testEvent('', {})], { expectedRevision: 'any' })],
        ['readStream with a negative revision', () => collect(store.readStream(streamNamed('bad'), { fromRevision: -2n }))],
        ['readAll with an unknown option', () => collect(store.readAll({ from: 0 } as never))],
        ['readAll with an empty filter list', () => collect(store.readAll({ filter: { eventTypes: [] } }))],
      ];
      it.each(cases)('%s', async (_, attempt) => {
        const failure = await attempt().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(InvalidEventStoreInput);
        expect((failure as Error).message.length).toBeGreaterThan(10);
        expect(await allOfTest()).toHaveLength(0);
      });

      it('a subscription with an unknown option is refused', () => {
        expect(() => store.subscribeToAll({ fromPosition: 'start', live: true } as never)).toThrow(InvalidEventStoreInput);
      });
    });
  });
}

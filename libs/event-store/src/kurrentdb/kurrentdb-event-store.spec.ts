import { ANY, NO_STREAM, STREAM_EXISTS, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { describeEventStore, testEvent } from '../conformance/describe-event-store';
import type { ExpectedRevision } from '../event-store';
import { WrongExpectedRevision } from '../errors';
import { KurrentDbEventStore, toStreamState, type KurrentClient } from './kurrentdb-event-store';

// The client's readStream when the stream holds no earlier append of these ids.
async function* noEvents(): AsyncGenerator<never> {
  yield* [];
}

describe('KurrentDB adapter: expected revision → streamState', () => {
  const cases: [ExpectedRevision, unknown][] = [
    ['any', ANY],
    ['no_stream', NO_STREAM],
    ['stream_exists', STREAM_EXISTS],
    [0n, 0n],
    [41n, 41n],
  ];

  it.each(cases)('%s maps to %s', (expected, state) => {
    expect(toStreamState(expected)).toBe(state);
  });

  it.each(cases)('append with %s passes it as `streamState` and never as the ignored `expectedRevision`', async (expected, state) => {
    const calls: unknown[] = [];
    const client = {
      appendToStream: async (_stream: string, _events: unknown, options: unknown) => {
        calls.push(options);
        return { success: true, nextExpectedRevision: 3n, position: { commit: 10n, prepare: 10n } };
      },
      // An append with 'any'/'stream_exists' first looks for an earlier append of the same ids.
      readStream: noEvents,
    } as unknown as KurrentClient;
    const result = await new KurrentDbEventStore(client).append('referral-1', [testEvent()], { expectedRevision: expected });
    expect(calls).toEqual([{ streamState: state }]);
    expect(Object.keys(calls[0] as object)).not.toContain('expectedRevision');
    expect(result).toEqual({ nextExpectedRevision: 3n, position: { commit: 10n, prepare: 10n } });
  });

  it("maps the client's WrongExpectedVersionError to the port's WrongExpectedRevision", async () => {
    const failure = Object.assign(Object.create(WrongExpectedVersionError.prototype), {
      streamName: 'referral-1',
      expectedState: 4n,
      actualState: 6n,
    });
    const client = {
      appendToStream: async () => {
        throw failure;
      },
      readStream: noEvents,
    } as unknown as KurrentClient;
    const error = await new KurrentDbEventStore(client)
      .append('referral-1', [testEvent()], { expectedRevision: 4n })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedRevision);
    expect(error).toMatchObject({ stream: 'referral-1', expected: 4n, actual: 6n });
  });
});

const connectionString = process.env['KURRENTDB_CONNECTION_STRING'];
if (connectionString) {
  describeEventStore('KurrentDB', async () => {
    const store = KurrentDbEventStore.connect(connectionString);
    return { store, dispose: () => store.close() };
  });
} else {
  describe.skip('EventStore conformance: KurrentDB — skipped: KURRENTDB_CONNECTION_STRING is not set (no KurrentDB server here)', () => {
    it('runs against KurrentDB when KURRENTDB_CONNECTION_STRING is set, e.g. kurrentdb://localhost:2113?tls=false', () => undefined);
  });
}

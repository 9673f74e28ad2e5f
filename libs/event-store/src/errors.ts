import type { ExpectedRevision } from './event-store';

/** Base of every error the event store throws on purpose; anything else is an infrastructure failure. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Optimistic concurrency: the stream is not at the revision the writer expected. Nothing was written. */
export class WrongExpectedRevision extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or 'no_stream' when it does not exist. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream "${stream}" was expected at ${describe(expected)} but is at ${describe(actual)}`);
  }
}

/** Bad arguments: nothing was written. */
export class InvalidEventStoreInput extends EventStoreError {
  readonly code = 'INVALID_INPUT';
}

/** Some, but not all, of the appended event ids are already in the stream: not a retry of one append. */
export class EventIdConflict extends EventStoreError {
  readonly code = 'EVENT_ID_CONFLICT';
  constructor(
    readonly stream: string,
    readonly eventIds: readonly string[],
  ) {
    super(
      `Stream "${stream}" already holds some of these event ids (${eventIds.join(', ')}) but not as one earlier ` +
        'append of the same events; re-send exactly the earlier batch or use new ids',
    );
  }
}

function describe(revision: ExpectedRevision | 'no_stream'): string {
  return typeof revision === 'bigint' ? `revision ${revision}` : revision;
}

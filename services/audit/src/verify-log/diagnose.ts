import { comparePositions, formatPosition, type EventStore, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { Sql } from '../chain/checkpoints';
import { describeLink, linkOfEvent, type StoredLink } from './stored-chain';

export type ProblemKind = 'changed' | 'deleted' | 'inserted' | 'reordered' | 'chain' | 'checkpoint';

/** The first place where the log and the chain disagree. */
export interface Problem {
  readonly kind: ProblemKind;
  readonly sequence: number;
  readonly position: Position;
  readonly message: string;
}

/** The event is where the chain put it, but its hash differs: say what visibly changed, if anything. */
export function changedProblem(link: StoredLink, event: RecordedEvent): Problem {
  const visible = [
    event.type !== link.type ? `its type is now ${event.type} (chained as ${link.type})` : null,
    event.stream !== link.stream ? `its stream is now ${event.stream}` : null,
    event.revision !== link.revision ? `its revision is now ${event.revision}` : null,
  ].filter((part): part is string => part !== null);
  const what = visible.length > 0 ? visible.join('; ') : 'its data, metadata or recording time no longer match the chained hash';
  return {
    kind: 'changed',
    sequence: link.sequence,
    position: link.position,
    message: `changed: the event at position ${formatPosition(link.position)}, ${describeLink(link)}, was altered: ${what}`,
  };
}

/**
 * The next event in the log is not the next chained event. Which of deleted, inserted or reordered it is
 * follows from where each of the two is now: the chain is asked where it holds the log's event, and the
 * chained event's stream where that event is now.
 */
export async function diagnoseMismatch(store: EventStore, sql: Sql, link: StoredLink, event: RecordedEvent | null): Promise<Problem> {
  if (!event) return missing(store, link, 'the log ends before it');
  const chainedAs = await linkOfEvent(sql, event.id);
  const order = comparePositions(event.position, link.position);
  if (chainedAs && chainedAs.sequence !== link.sequence) {
    const now = await findInLog(store, link);
    if (!now) return missing(store, link, `the next event in the log is ${describeLink(chainedAs)}`);
    return {
      kind: 'reordered',
      sequence: link.sequence,
      position: link.position,
      message:
        `reordered: event ${event.id}, chained as sequence ${chainedAs.sequence} at ${formatPosition(chainedAs.position)}, now sits at ` +
        `${formatPosition(event.position)}, where ${describeLink(link)} was expected; that event is now at ${formatPosition(now.position)}`,
    };
  }
  if (chainedAs) {
    return {
      kind: 'reordered',
      sequence: link.sequence,
      position: link.position,
      message: `reordered: ${describeLink(link)} moved to position ${formatPosition(event.position)}`,
    };
  }
  if (order < 0) {
    return {
      kind: 'inserted',
      sequence: link.sequence,
      position: event.position,
      message:
        `inserted: event ${event.id} (${event.type} #${event.revision} of ${event.stream}) at position ${formatPosition(event.position)} ` +
        `is not in the chain: it sits between sequence ${link.sequence - 1} and ${describeLink(link)}`,
    };
  }
  if (order === 0) {
    return {
      kind: 'changed',
      sequence: link.sequence,
      position: link.position,
      message: `changed: the event at position ${formatPosition(link.position)} is now event ${event.id}, not the chained ${describeLink(link)}`,
    };
  }
  return missing(store, link, `the next event in the log is event ${event.id} at ${formatPosition(event.position)}`);
}

/** The chained event is not at its place: moved elsewhere (reordered) or gone (deleted). */
async function missing(store: EventStore, link: StoredLink, context: string): Promise<Problem> {
  const now = await findInLog(store, link);
  if (now) {
    return {
      kind: 'reordered',
      sequence: link.sequence,
      position: link.position,
      message: `reordered: ${describeLink(link)} moved to position ${formatPosition(now.position)} (${context})`,
    };
  }
  return {
    kind: 'deleted',
    sequence: link.sequence,
    position: link.position,
    message: `deleted: ${describeLink(link)} is no longer in the log (${context})`,
  };
}

async function findInLog(store: EventStore, link: StoredLink): Promise<RecordedEvent | null> {
  for await (const event of store.readStream(link.stream, { fromRevision: link.revision, maxCount: 1 })) {
    if (event.id === link.eventId) return event;
  }
  return null;
}

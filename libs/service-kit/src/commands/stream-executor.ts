import { v5 as uuidv5, v4 as uuidv4 } from 'uuid';
import { CURRENT_SCHEMA_VERSION, upcast, type Decision, type DomainEvent } from '@koppelstuk/domain';
import type { Principal } from '@koppelstuk/auth';
import { WrongExpectedRevision, type EventStore, type JsonObject, type NewEvent, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import { appError, fromDomainError } from '../graphql/errors';

/** Namespace for deterministic event ids derived from a client's idempotency key. */
const IDEMPOTENCY_NAMESPACE = 'b3c1f1d2-5f6e-4c4a-9d41-7a1f0c2e9b10';

export interface CommandEnvelope {
  readonly actor: Principal;
  readonly correlationId: string;
  /** The client's idempotency key (`clientMutationId`); a retry with the same key appends nothing. */
  readonly idempotencyKey: string | null;
  /** The stream revision the client last saw; when given, any other revision is a CONFLICT. */
  readonly expectedVersion: number | null;
  readonly commandType: string;
}

export interface StreamModel<State, Event extends DomainEvent> {
  readonly stream: string;
  readonly initial: State;
  readonly evolve: (state: State, event: Event) => State;
  /** Encrypts personal data for storage (the events the decider returns hold it in plain). */
  readonly seal: (events: readonly Event[], state: State) => Promise<JsonObject[]>;
}

export interface StreamResult<State> {
  readonly state: State;
  /** The stream's last revision (the entity's version), or null if the stream does not exist. */
  readonly version: number | null;
  readonly appended: number;
  /** True when this was a retry of a command already applied: its first result is returned. */
  readonly replayed: boolean;
  /** Where the last event of this command is in the global log (for read-your-writes), if any. */
  readonly position: Position | null;
}

/** Reads a stream and folds it. Stored personal data stays sealed: deciders never look at it. */
export async function loadStream<State, Event extends DomainEvent>(
  store: EventStore,
  model: Pick<StreamModel<State, Event>, 'stream' | 'initial' | 'evolve'>,
): Promise<{ state: State; version: number | null; events: RecordedEvent[] }> {
  const events: RecordedEvent[] = [];
  let state = model.initial;
  for await (const recorded of store.readStream(model.stream)) {
    events.push(recorded);
    state = model.evolve(state, toDomainEvent<Event>(recorded));
  }
  return { state, version: events.length === 0 ? null : events.length - 1, events };
}

export function toDomainEvent<Event extends DomainEvent>(recorded: RecordedEvent): Event {
  const data = upcast(recorded.type, recorded.metadata.schemaVersion, recorded.data);
  return { type: recorded.type, data } as unknown as Event;
}

/**
 * The write side's one loop: load the stream, decide, append with the expected revision. A concurrent
 * writer makes the append fail; then the command is decided once more on the new state, and a second
 * conflict is answered with CONFLICT. With an idempotency key the event ids are derived from it, so a
 * retried command is recognised and answered with its first result, appending nothing.
 */
export async function executeOnStream<State, Event extends DomainEvent>(
  store: EventStore,
  model: StreamModel<State, Event>,
  envelope: CommandEnvelope,
  decide: (state: State) => Decision<Event>,
  /** The stream as the caller already read it, to spare a read on the first attempt. */
  preloaded?: { state: State; version: number | null; events: RecordedEvent[] },
): Promise<StreamResult<State>> {
  for (let attempt = 1; ; attempt++) {
    const loaded = attempt === 1 && preloaded ? preloaded : await loadStream(store, model);
    const earlier = envelope.idempotencyKey ? findEarlierResult(loaded.events, model, envelope) : null;
    if (earlier) return earlier;
    const decision = decide(loaded.state);
    // Whoever may not see or change the entity is told so before any version talk: a CONFLICT naming the
    // current version would reveal that another organisation's entity exists, and how often it changed.
    if (!decision.ok && (decision.error.code === 'NOT_FOUND' || decision.error.code === 'FORBIDDEN')) throw fromDomainError(decision.error);
    if (envelope.expectedVersion !== null && envelope.expectedVersion !== loaded.version) {
      throw appError('CONFLICT', `The referral changed since version ${envelope.expectedVersion}; it is now at version ${loaded.version ?? 'none'}. Reload and try again.`, {
        currentVersion: loaded.version,
      });
    }
    if (!decision.ok) throw fromDomainError(decision.error);
    if (decision.events.length === 0) return { state: loaded.state, version: loaded.version, appended: 0, replayed: false, position: null };

    const sealed = await model.seal(decision.events, loaded.state);
    const newEvents = decision.events.map((event, index) => toNewEvent(event, sealed[index] as JsonObject, index, model.stream, envelope));
    try {
      const result = await store.append(model.stream, newEvents, {
        expectedRevision: loaded.version === null ? 'no_stream' : BigInt(loaded.version),
      });
      const state = decision.events.reduce(model.evolve, loaded.state);
      return { state, version: Number(result.nextExpectedRevision), appended: newEvents.length, replayed: false, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision)) throw error;
      if (attempt >= 2 || envelope.expectedVersion !== null) {
        throw appError('CONFLICT', 'Someone else changed this at the same moment; reload and try again');
      }
    }
  }
}

function findEarlierResult<State, Event extends DomainEvent>(
  events: readonly RecordedEvent[],
  model: Pick<StreamModel<State, Event>, 'initial' | 'evolve'>,
  envelope: CommandEnvelope,
): StreamResult<State> | null {
  const index = events.findIndex((event) => event.metadata['idempotencyKey'] === idempotencyScope(envelope));
  if (index < 0) return null;
  let last = index;
  while (last + 1 < events.length && events[last + 1]?.metadata['idempotencyKey'] === idempotencyScope(envelope)) last++;
  const state = events.slice(0, last + 1).map((event) => toDomainEvent<Event>(event)).reduce(model.evolve, model.initial);
  return { state, version: last, appended: 0, replayed: true, position: (events[last] as RecordedEvent).position };
}

/** Keys are scoped to the caller, so two users choosing the same key never collide. */
function idempotencyScope(envelope: CommandEnvelope): string {
  return `${envelope.actor.organisationId}/${envelope.actor.userId}/${envelope.idempotencyKey}`;
}

function deterministicEventId(envelope: CommandEnvelope, stream: string, index: number): string {
  return uuidv5(`${idempotencyScope(envelope)}/${stream}/${index}`, IDEMPOTENCY_NAMESPACE);
}

function toNewEvent(event: DomainEvent, data: JsonObject, index: number, stream: string, envelope: CommandEnvelope): NewEvent {
  const commandId = envelope.idempotencyKey ? deterministicEventId(envelope, 'command', 0) : uuidv4();
  return {
    id: envelope.idempotencyKey ? deterministicEventId(envelope, stream, index) : uuidv4(),
    type: event.type,
    data,
    metadata: {
      correlationId: envelope.correlationId,
      causationId: commandId,
      actor: { userId: envelope.actor.userId, organisationId: envelope.actor.organisationId, roles: [...envelope.actor.roles] },
      schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
      commandType: envelope.commandType,
      ...(envelope.idempotencyKey ? { idempotencyKey: idempotencyScope(envelope) } : {}),
    },
  };
}

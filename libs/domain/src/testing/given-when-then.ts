/**
 * Test-only given/when/then for the pure deciders:
 *
 *   referral.given([made]).when(accept).then([accepted]);
 *   referral.given([made]).when(close).thenError({ code: 'INVALID_TRANSITION' });
 *
 * Every event a `then` sees (and every event given) is checked against its contract in schema/events after
 * sealing its personal data, as the write side stores it, so a decider cannot drift from the contracts.
 */
import type { DomainError, DomainErrorCode, Decision } from '../shared/result';
import { assertMatchesContract, type AnyEvent } from './event-contracts';

export interface Decider<State, Command, Event> {
  readonly decide: (state: State, command: Command) => Decision<Event>;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
}

export interface ExpectedError {
  readonly code: DomainErrorCode;
  /** The field at fault; leaving it out asserts that the error names no field. */
  readonly field?: string;
  readonly message?: string | RegExp;
}

export interface Outcome<State, Event> {
  readonly events: readonly Event[];
  /** The state after the given events and the new ones. */
  readonly state: State;
}

export interface When<State, Event> {
  readonly decision: Decision<Event>;
  /** Exactly these events, in this order. */
  then(expected: readonly Event[]): Outcome<State, Event>;
  /** Accepted, whatever the events; for assertions the caller makes itself. */
  thenOk(): Outcome<State, Event>;
  thenError(expected: ExpectedError): DomainError;
}

export interface Given<State, Command, Event> {
  readonly state: State;
  when(command: Command): When<State, Event>;
}

/** Every event accepted by a `then` in this test file, in order. */
export const emittedEvents: AnyEvent[] = [];

export function givenWhenThen<State, Command, Event extends AnyEvent>(decider: Decider<State, Command, Event>) {
  const fromState = (state: State): Given<State, Command, Event> => ({
    state,
    when(command: Command): When<State, Event> {
      const decision = decider.decide(state, command);
      const accepted = (): Outcome<State, Event> => {
        if (!decision.ok) throw new Error(`Expected the command to be accepted, but it was refused: ${JSON.stringify(decision.error)}`);
        for (const event of decision.events) assertMatchesContract(event);
        emittedEvents.push(...decision.events);
        return { events: decision.events, state: decision.events.reduce(decider.evolve, state) };
      };
      return {
        decision,
        then(expected) {
          const outcome = accepted();
          expect(outcome.events).toEqual(expected);
          return outcome;
        },
        thenOk: accepted,
        thenError(expected) {
          if (decision.ok) throw new Error(`Expected ${expected.code}, but the command was accepted: ${JSON.stringify(decision.events)}`);
          const { error } = decision;
          expect(error.code).toBe(expected.code);
          expect(error.field).toBe(expected.field);
          if (typeof expected.message === 'string') expect(error.message).toBe(expected.message);
          else if (expected.message) expect(error.message).toMatch(expected.message);
          return error;
        },
      };
    },
  });
  return {
    given(events: readonly Event[]): Given<State, Command, Event> {
      for (const event of events) assertMatchesContract(event);
      return fromState(events.reduce(decider.evolve, decider.initialState));
    },
    /** For a state no sequence of events reaches (used sparingly, and said why). */
    givenState: fromState,
  };
}

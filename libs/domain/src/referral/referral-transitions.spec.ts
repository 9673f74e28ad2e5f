/**
 * The whole transition table: every status × every command. Exactly the statuses decide-referral.ts lists for
 * a command are accepted; every other status gives INVALID_TRANSITION. (MarkOverdue is not a transition: it is
 * a no-op outside `sent`, since the deadline watcher may race with the partner's answer.)
 */
import { REFERRAL_STATUSES, type ReferralStatus } from '../shared/vocabulary';
import { decideReferral } from './decide-referral';
import type { ReferralCommand, ReferralCommandType } from './referral-commands';
import type { ReferralEvent } from './referral-events';
import { evolveReferral, foldReferral, initialReferralState, type Referral } from './referral-state';
import { givenWhenThen } from '../testing/given-when-then';
import { COMMANDS, HISTORY, OUTCOME_ID, T } from '../testing/referral-fixtures';

const referral = givenWhenThen<ReturnType<typeof foldReferral>, ReferralCommand, ReferralEvent>({
  decide: decideReferral,
  evolve: evolveReferral,
  initialState: initialReferralState,
});

/** From which statuses each command is accepted (as documented in decide-referral.ts). */
const ALLOWED: Readonly<Record<Exclude<ReferralCommandType, 'MarkOverdue'>, readonly ReferralStatus[]>> = {
  MakeReferral: [],
  AcceptReferral: ['sent'],
  DeclineReferral: ['sent'],
  RequestInformation: ['sent', 'accepted'],
  ProvideInformation: ['on_hold'],
  StartWork: ['accepted'],
  ForwardReferral: ['sent', 'accepted', 'in_progress'],
  WithdrawReferral: ['sent', 'accepted', 'in_progress', 'on_hold'],
  RecordOutcome: ['accepted', 'in_progress', 'completed'],
  CloseReferral: ['accepted', 'in_progress'],
};

/** The referral in `status`; for closing from accepted, with an outcome (see below). */
function stateIn(status: ReferralStatus, command: ReferralCommandType): Referral {
  const state = foldReferral(HISTORY[status]) as Referral;
  expect(state.status).toBe(status);
  if (command === 'CloseReferral' && status === 'accepted') {
    // Recording an outcome moves an accepted referral to in_progress, so no history reaches "accepted with an
    // outcome"; the decider still lists accepted for closing, and this checks that it keeps its word.
    return {
      ...state,
      outcomes: [{ outcomeId: OUTCOME_ID, code: 'advice_given', amountCents: null, occurredAt: T.outcomeOccurred, recordedAt: T.outcomeRecorded }],
    };
  }
  return state;
}

const cases = (Object.keys(ALLOWED) as (keyof typeof ALLOWED)[]).flatMap((command) =>
  REFERRAL_STATUSES.map((status) => [command, status, ALLOWED[command].includes(status)] as const),
);

describe('referral transitions', () => {
  it('the table covers all 8 statuses and all 11 commands', () => {
    expect(REFERRAL_STATUSES).toHaveLength(8);
    expect(Object.keys(COMMANDS)).toHaveLength(11);
    expect(cases).toHaveLength(8 * 10);
  });

  it.each(cases)('%s in status %s: allowed = %p', (command, status, allowed) => {
    const when = referral.givenState(stateIn(status, command)).when(COMMANDS[command]());
    if (allowed) {
      const { events } = when.thenOk();
      expect(events).toHaveLength(1);
    } else {
      when.thenError({ code: 'INVALID_TRANSITION' });
    }
  });

  it.each(REFERRAL_STATUSES.map((status) => [status, status === 'sent'] as const))(
    'MarkOverdue after the SLA in status %s: emits ReferralOverdue = %p, never an error',
    (status, emits) => {
      const { events } = referral.given(HISTORY[status]).when(COMMANDS.MarkOverdue()).thenOk();
      expect(events.map((e) => e.type)).toEqual(emits ? ['ReferralOverdue'] : []);
    },
  );

  describe('on hold after accepted', () => {
    const onHoldFromAccepted = [...HISTORY.accepted, ...HISTORY.on_hold.slice(1)];
    it.each(['AcceptReferral', 'DeclineReferral', 'RequestInformation', 'StartWork', 'ForwardReferral', 'RecordOutcome', 'CloseReferral'] as const)(
      '%s is not allowed',
      (command) => {
        referral.given(onHoldFromAccepted).when(COMMANDS[command]()).thenError({ code: 'INVALID_TRANSITION' });
      },
    );
    it.each(['ProvideInformation', 'WithdrawReferral'] as const)('%s is allowed', (command) => {
      referral.given(onHoldFromAccepted).when(COMMANDS[command]()).thenOk();
    });
  });
});

/** Tenancy: who may do what to a referral, and what someone who may not see it is told. */
import type { CommandActor } from '../shared/actor';
import { decideReferral } from './decide-referral';
import type { ReferralCommand, ReferralCommandType } from './referral-commands';
import type { ReferralEvent } from './referral-events';
import { evolveReferral, foldReferral, initialReferralState } from './referral-state';
import { givenWhenThen } from '../testing/given-when-then';
import {
  admin,
  auditor,
  cityAuditor,
  CITY_COMMANDS,
  cityOfficer,
  COMMANDS,
  HISTORY,
  makeReferral,
  OTHER_CITY_ID,
  otherCityOfficer,
  otherPartnerAgent,
  PARTNER_COMMANDS,
  partnerAgent,
  referralMade,
  informationRequested,
} from '../testing/referral-fixtures';

const referral = givenWhenThen<ReturnType<typeof foldReferral>, ReferralCommand, ReferralEvent>({
  decide: decideReferral,
  evolve: evolveReferral,
  initialState: initialReferralState,
});

/** A history in which each command would be accepted from its rightful actor. */
const HISTORY_FOR: Readonly<Record<(typeof CITY_COMMANDS)[number] | (typeof PARTNER_COMMANDS)[number], readonly ReferralEvent[]>> = {
  AcceptReferral: HISTORY.sent,
  DeclineReferral: HISTORY.sent,
  RequestInformation: HISTORY.sent,
  StartWork: HISTORY.accepted,
  ForwardReferral: HISTORY.sent,
  RecordOutcome: HISTORY.in_progress,
  CloseReferral: HISTORY.in_progress,
  ProvideInformation: [referralMade(), informationRequested()],
  WithdrawReferral: HISTORY.sent,
};

const as = (type: ReferralCommandType, actor: CommandActor): ReferralCommand => ({ ...COMMANDS[type](), actor }) as ReferralCommand;

const notFoundMessage = (type: ReferralCommandType): string => {
  const decision = decideReferral(null, COMMANDS[type]());
  if (decision.ok) throw new Error('a command on a missing referral was accepted');
  expect(decision.error.code).toBe('NOT_FOUND');
  return decision.error.message;
};

describe('referral tenancy', () => {
  it.each([...PARTNER_COMMANDS, ...CITY_COMMANDS])('%s: the rightful actor is allowed', (type) => {
    referral.given(HISTORY_FOR[type]).when(COMMANDS[type]()).thenOk();
  });

  describe('someone who may not see the referral gets exactly the answer for a referral that does not exist', () => {
    it.each(
      [...PARTNER_COMMANDS, ...CITY_COMMANDS].flatMap((type) => [
        [type, 'a partner agent of another organisation', otherPartnerAgent],
        [type, 'a city officer of another city', otherCityOfficer],
        [type, 'someone without a role', { userId: 'nobody', organisationId: 'gm0141-almelo', roles: [] }],
      ] as const),
    )('%s by %s: NOT_FOUND', (type, _who, actor) => {
      const error = referral.given(HISTORY_FOR[type]).when(as(type, actor)).thenError({ code: 'NOT_FOUND', message: notFoundMessage(type) });
      expect(decideReferral(null, COMMANDS[type]())).toEqual({ ok: false, error });
    });
  });

  it.each(PARTNER_COMMANDS)('%s by an officer of the referring city: FORBIDDEN', (type) => {
    referral.given(HISTORY_FOR[type]).when(as(type, cityOfficer)).thenError({ code: 'FORBIDDEN' });
  });

  it.each(CITY_COMMANDS)('%s by an agent of the addressed partner: FORBIDDEN', (type) => {
    referral.given(HISTORY_FOR[type]).when(as(type, partnerAgent)).thenError({ code: 'FORBIDDEN' });
  });

  it.each(
    [...PARTNER_COMMANDS, ...CITY_COMMANDS, 'MarkOverdue' as const].flatMap((type) => [
      [type, 'an auditor', auditor],
      [type, "an auditor of the referring city's organisation", cityAuditor],
      [type, 'an admin', admin],
    ] as const),
  )('%s by %s: FORBIDDEN', (type, _who, actor) => {
    referral.given(HISTORY_FOR[type === 'MarkOverdue' ? 'AcceptReferral' : type]).when(as(type, actor)).thenError({ code: 'FORBIDDEN' });
  });

  it.each([
    ['an auditor', auditor],
    ['an admin', admin],
    ['a partner agent', partnerAgent],
    ['an officer of another city', otherCityOfficer],
  ] as const)('MakeReferral by %s: FORBIDDEN', (_who, actor) => {
    referral.given([]).when(makeReferral({ actor })).thenError({ code: 'FORBIDDEN' });
  });

  it('MakeReferral on behalf of another city: FORBIDDEN, even when the officer holds the role', () => {
    referral.given([]).when(makeReferral({ cityId: OTHER_CITY_ID })).thenError({ code: 'FORBIDDEN' });
  });

  it('a command on a referral that does not exist: NOT_FOUND, the same for every command', () => {
    const messages = new Set([...PARTNER_COMMANDS, ...CITY_COMMANDS, 'MarkOverdue' as const].map(notFoundMessage));
    expect(messages.size).toBe(1);
  });
});

import type { CommandActor } from '../shared/actor';

interface Base {
  readonly actor: CommandActor;
  readonly at: string;
  readonly subjectId: string;
}

export interface GiveConsent extends Base {
  readonly type: 'GiveConsent';
  readonly consentId: string;
  readonly cityId: string;
  readonly partnerId: string;
  readonly purpose: string;
  readonly givenBy: string;
  readonly givenAt: string;
  readonly expiresAt: string;
  readonly anonymousStatistics: boolean;
}

export interface WithdrawConsent extends Base {
  readonly type: 'WithdrawConsent';
  readonly consentId: string;
}

export interface EraseSubject extends Base {
  readonly type: 'EraseSubject';
  readonly reason: 'consent_withdrawn' | 'erasure_request';
}

export type SubjectCommand = GiveConsent | WithdrawConsent | EraseSubject;

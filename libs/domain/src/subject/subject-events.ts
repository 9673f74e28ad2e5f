/** The data subject (the entrepreneur's contact person): consent and erasure. Stream `subject-<uuid>`. */
export interface ConsentGiven {
  readonly type: 'ConsentGiven';
  readonly data: {
    readonly subjectId: string;
    readonly consentId: string;
    /** The city that recorded it. */
    readonly cityId: string;
    /** The partner the entrepreneur agreed their data may go to. */
    readonly partnerId: string;
    readonly purpose: string;
    readonly givenAt: string;
    readonly expiresAt: string;
    /** A separate yes/no: may the referral be counted, anonymously, in statistics? */
    readonly anonymousStatistics: boolean;
    readonly personal: { readonly givenBy: string };
  };
}

export interface ConsentWithdrawn {
  readonly type: 'ConsentWithdrawn';
  readonly data: { readonly subjectId: string; readonly consentId: string; readonly withdrawnAt: string };
}

/** The subject's key was deleted: every personal field encrypted with it reads as erased from now on. */
export interface SubjectErased {
  readonly type: 'SubjectErased';
  readonly data: {
    readonly subjectId: string;
    readonly reason: 'consent_withdrawn' | 'erasure_request';
    readonly erasedAt: string;
  };
}

export type SubjectEvent = ConsentGiven | ConsentWithdrawn | SubjectErased;
export type SubjectEventType = SubjectEvent['type'];
export const SUBJECT_EVENT_TYPES: readonly SubjectEventType[] = ['ConsentGiven', 'ConsentWithdrawn', 'SubjectErased'];

export const subjectStream = (subjectId: string): string => `subject-${subjectId}`;

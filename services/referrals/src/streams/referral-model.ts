import { evolveReferral, referralStream, type ReferralEvent, type ReferralState } from '@koppelstuk/domain';
import type { PersonalDataCipher } from '@koppelstuk/personal-data';
import type { StreamModel } from '@koppelstuk/service-kit';
import { sealEvents } from './sealing';

export const referralModel = (referralId: string, cipher: PersonalDataCipher): StreamModel<ReferralState, ReferralEvent> => ({
  stream: referralStream(referralId),
  initial: null,
  evolve: evolveReferral,
  seal: (events, state) =>
    sealEvents(cipher, events, (event) => (event.type === 'ReferralMade' ? event.data.subjectId : (state?.subjectId ?? null))),
});

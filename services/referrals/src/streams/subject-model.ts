import { evolveSubject, subjectStream, type SubjectEvent, type SubjectState } from '@koppelstuk/domain';
import type { PersonalDataCipher } from '@koppelstuk/personal-data';
import type { StreamModel } from '@koppelstuk/service-kit';
import { sealEvents } from './sealing';

export const subjectModel = (subjectId: string, cipher: PersonalDataCipher): StreamModel<SubjectState, SubjectEvent> => ({
  stream: subjectStream(subjectId),
  initial: null,
  evolve: evolveSubject,
  seal: (events) => sealEvents(cipher, events, () => subjectId),
});

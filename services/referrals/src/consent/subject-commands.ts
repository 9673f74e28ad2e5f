import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideSubject, type Subject, type SubjectCommand } from '@koppelstuk/domain';
import type { EventStore } from '@koppelstuk/event-store';
import { PersonalDataCipher, SubjectKeyStore } from '@koppelstuk/personal-data';
import { EVENT_STORE, executeOnStream, fromDomainError, loadStream, type CommandEnvelope } from '@koppelstuk/service-kit';
import { subjectModel } from '../streams/subject-model';

/** A change to a person's consents, or their erasure. */
export class ChangeSubject {
  constructor(
    readonly command: SubjectCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

@CommandHandler(ChangeSubject)
export class ChangeSubjectHandler implements ICommandHandler<ChangeSubject, Subject> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
    private readonly keys: SubjectKeyStore,
  ) {}

  async execute({ command, envelope }: ChangeSubject): Promise<Subject> {
    const model = subjectModel(command.subjectId, this.cipher);
    if (command.type === 'EraseSubject') {
      // Decide first (who may erase), then delete the key before recording the fact: if recording fails,
      // the data is already unreadable, and a retry records it. Privacy never waits for the log.
      const { state } = await loadStream(this.store, model);
      const decision = decideSubject(state, command);
      if (!decision.ok) throw fromDomainError(decision.error);
      await this.keys.erase(command.subjectId);
    }
    const result = await executeOnStream(this.store, model, envelope, (state) => decideSubject(state, command));
    return result.state as Subject;
  }
}

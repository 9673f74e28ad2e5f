import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideReferral, type ReferralCommand, type ReferralState } from '@koppelstuk/domain';
import type { EventStore } from '@koppelstuk/event-store';
import { PersonalDataCipher } from '@koppelstuk/personal-data';
import { EVENT_STORE, executeOnStream, type CommandEnvelope, type StreamResult } from '@koppelstuk/service-kit';
import { referralModel } from '../streams/referral-model';

/** One step in a referral's life, decided on the referral's current state. */
export class ActOnReferral {
  constructor(
    readonly referralId: string,
    readonly command: ReferralCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

@CommandHandler(ActOnReferral)
export class ActOnReferralHandler implements ICommandHandler<ActOnReferral, StreamResult<ReferralState>> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  execute({ referralId, command, envelope }: ActOnReferral): Promise<StreamResult<ReferralState>> {
    return executeOnStream(this.store, referralModel(referralId, this.cipher), envelope, (state) => decideReferral(state, command));
  }
}

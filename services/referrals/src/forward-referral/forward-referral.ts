import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import {
  accept,
  decideReferral,
  evolveReferral,
  openForwardedReferral,
  type CommandActor,
  type ForwardReferral as ForwardReferralCommand,
  type Referral,
  type ReferralEvent,
  type ReferralForwarded,
  type ReferralPersonalData,
} from '@koppelstuk/domain';
import type { EventStore, RecordedEvent } from '@koppelstuk/event-store';
import { AccessRecorder, isSealed, PersonalDataCipher } from '@koppelstuk/personal-data';
import { appError, EVENT_STORE, executeOnStream, loadStream, toDomainEvent, type CommandEnvelope } from '@koppelstuk/service-kit';
import { ReferralReader } from '../read-referral/referral-reader';
import { consentFactsFor } from '../streams/consent-facts';
import { directoryFacts } from '../streams/directory-facts';
import { referralModel } from '../streams/referral-model';

const FORWARD_IDS = '2e6f0a53-1b7c-4d2e-9f08-6c3b5a4d7e19';

export class ForwardReferral {
  constructor(
    readonly referralId: string,
    readonly input: { toPartnerId: string; toServiceId: string; reason: string | null },
    readonly envelope: CommandEnvelope,
  ) {}
}

/**
 * Opens the referral a forward points to. Run right after the forward, and again by the process
 * manager for any forward whose new referral does not exist yet (e.g. after a crash in between), so a
 * forward always ends with the linked referral in place. Idempotent: the new stream must not exist.
 */
@Injectable()
export class ForwardCompletion {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
    private readonly recorder: AccessRecorder,
    private readonly reader: ReferralReader,
  ) {}

  async complete(referralId: string, envelope: CommandEnvelope): Promise<string | null> {
    const { state, events } = await loadStream(this.store, referralModel(referralId, this.cipher));
    const forwarded = events.find((event) => event.type === 'ReferralForwarded');
    if (!state || !forwarded) return null;
    const data = forwarded.data as unknown as ReferralForwarded['data'];
    const origin = events
      .slice(0, events.indexOf(forwarded))
      .map((event) => toDomainEvent<ReferralEvent>(event))
      .reduce(evolveReferral, null as Referral | null) as Referral;
    const subject = await this.reader.loadSubject(origin.subjectId);
    const command: ForwardReferralCommand = {
      type: 'ForwardReferral',
      actor: envelope.actor,
      at: data.forwardedAt,
      toReferralId: data.toReferralId,
      toPartnerId: data.toPartnerId,
      toServiceId: data.toServiceId,
      reason: null,
      directory: await directoryFacts(this.store, origin.cityId, data.toPartnerId, data.toServiceId),
      consent: consentFactsFor(subject, data.toPartnerId, data.forwardedAt),
    };
    const personal = await this.personalDataToCarry(origin, events[0] as RecordedEvent, envelope);
    await executeOnStream(
      this.store,
      referralModel(data.toReferralId, this.cipher),
      { ...envelope, expectedVersion: null, commandType: 'OpenForwardedReferral' },
      (target) => (target === null ? accept<ReferralEvent>(openForwardedReferral(origin, command, personal)) : accept<ReferralEvent>()),
    );
    return data.toReferralId;
  }

  /** The forwarded referral's personal data, decrypted to be sealed again in the new referral; the read is on record. */
  private async personalDataToCarry(origin: Referral, made: RecordedEvent, envelope: CommandEnvelope): Promise<ReferralPersonalData> {
    const sealed = made.data['personal'];
    const opened = isSealed(sealed) ? await this.cipher.open<ReferralPersonalData>(sealed) : null;
    if (!opened || opened.erased) throw appError('INVALID_TRANSITION', "This person's data has been erased; the referral cannot be forwarded");
    await this.recorder.record({
      userId: envelope.actor.userId,
      organisationId: envelope.actor.organisationId,
      roles: envelope.actor.roles,
      subjectId: origin.subjectId,
      referralId: origin.referralId,
      fields: ['contactName', 'contactEmail', 'contactPhone', 'needDescription'],
      purpose: 'forwarding',
      service: 'referrals',
      correlationId: envelope.correlationId,
    });
    return opened.value;
  }
}

@CommandHandler(ForwardReferral)
export class ForwardReferralHandler implements ICommandHandler<ForwardReferral, { toReferralId: string }> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
    private readonly reader: ReferralReader,
    private readonly completion: ForwardCompletion,
  ) {}

  async execute({ referralId, input, envelope }: ForwardReferral): Promise<{ toReferralId: string }> {
    const actor: CommandActor = envelope.actor;
    const model = referralModel(referralId, this.cipher);
    const { state } = await loadStream(this.store, model);
    const at = new Date().toISOString();
    const subject = state ? await this.reader.loadSubject(state.subjectId) : null;
    const command: ForwardReferralCommand = {
      type: 'ForwardReferral',
      actor,
      at,
      toReferralId: envelope.idempotencyKey ? uuidv5(`${actor.organisationId}/${actor.userId}/${envelope.idempotencyKey}/forward`, FORWARD_IDS) : uuidv4(),
      toPartnerId: input.toPartnerId,
      toServiceId: input.toServiceId,
      reason: input.reason,
      directory: state ? await directoryFacts(this.store, state.cityId, input.toPartnerId, input.toServiceId) : { city: null, partner: null, service: null },
      consent: consentFactsFor(subject, input.toPartnerId, at),
    };
    await executeOnStream(this.store, model, envelope, (current) => decideReferral(current, command));
    const opened = await this.completion.complete(referralId, envelope);
    return { toReferralId: opened ?? command.toReferralId };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { referralStream } from '@koppelstuk/domain';
import type { EventStore } from '@koppelstuk/event-store';
import { AccessRecorder, PersonalDataCipher } from '@koppelstuk/personal-data';
import { EVENT_STORE, type RequestContext } from '@koppelstuk/service-kit';
import { actorNode, type ActorNode } from '../graphql-nodes';
import { historyEntries, historyView, type HistoryEntryView } from './history-entries';
import { HistoryRevealer } from './history-revealer';
import { loadSubject, loadVisibleReferral } from './referral-stream';
import { chainSequences } from './sequences';

interface FieldChangeNode {
  readonly field: string;
  readonly personal: boolean;
  readonly value: string | null;
  readonly reveal: (() => Promise<string | null>) | null;
}

interface HistoryEntryNode extends Omit<HistoryEntryView, 'actor' | 'changes'> {
  readonly actor: ActorNode;
  readonly changes: readonly FieldChangeNode[];
}

/** The audit subgraph's part of a Referral: its history, for a reader who may see the referral. */
export interface ReferralHistoryNode {
  readonly referralId: string;
  readonly history: readonly HistoryEntryNode[];
}

@Injectable()
export class ReferralHistories {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    private readonly recorder: AccessRecorder,
  ) {}

  async load(referralId: string, context: RequestContext): Promise<ReferralHistoryNode | null> {
    const loaded = await loadVisibleReferral(this.store, referralId, context.principal);
    if (!loaded) return null;
    const [subject, sequences] = await Promise.all([
      loadSubject(this.store, loaded.state.subjectId),
      chainSequences(this.dataSource, referralStream(loaded.state.referralId)),
    ]);
    const view = historyView(context.principal, loaded.state, subject, new Date());
    const entries = historyEntries(loaded.events, sequences, view);
    const revealer = new HistoryRevealer(this.cipher, this.recorder, loaded.state, loaded.events, entries, view, context);
    return {
      referralId: loaded.state.referralId,
      history: entries.map((entry) => ({
        ...entry,
        actor: actorNode(entry.actor),
        changes: entry.changes.map((change) => {
          const source = change.source;
          return { field: change.field, personal: change.personal, value: change.value, reveal: source ? () => revealer.value(source.eventId, source.key) : null };
        }),
      })),
    };
  }
}

@Resolver('Referral')
export class HistoryReferralResolver {
  constructor(private readonly histories: ReferralHistories) {}

  @ResolveReference()
  // Entity lookups get Apollo's (reference, context) as they are: Nest's parameter decorators would
  // read the wrong argument here, so the context is taken undecorated.
  reference(reference: { id: string }, context: RequestContext): Promise<ReferralHistoryNode | null> {
    return this.histories.load(reference.id, context);
  }

  @ResolveField('id') id(@Parent() node: ReferralHistoryNode) {
    return node.referralId;
  }

  @ResolveField('history') history(@Parent() node: ReferralHistoryNode) {
    return node.history;
  }
}

@Resolver('FieldChange')
export class FieldChangeResolver {
  /** Personal values are decrypted (and the read recorded) only when a client actually asks for them. */
  @ResolveField('value') value(@Parent() change: FieldChangeNode): Promise<string | null> | string | null {
    return change.reveal ? change.reveal() : change.value;
  }
}

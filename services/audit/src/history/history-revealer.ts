import type { PersonalDataView, Referral } from '@koppelstuk/domain';
import type { RecordedEvent } from '@koppelstuk/event-store';
import { isSealed, type AccessRecorder, type PersonalDataCipher, type SealedPersonalData } from '@koppelstuk/personal-data';
import type { RequestContext } from '@koppelstuk/service-kit';
import { canonicalJson } from '../chain/canonical-json';
import type { HistoryEntryView } from './history-entries';

/**
 * Decrypts a history's personal data on the first request for a personal value, for a reader the policy
 * lets see it, and puts that read on record (who, whose data, which fields, why: 'history') before any value
 * is returned. One decryption and one access-log entry per history read, however many values are shown;
 * none when no personal value is asked for.
 */
export class HistoryRevealer {
  private opened: Promise<Map<string, Record<string, unknown>>> | null = null;

  constructor(
    private readonly cipher: PersonalDataCipher,
    private readonly recorder: AccessRecorder,
    private readonly referral: Referral,
    private readonly events: readonly RecordedEvent[],
    private readonly entries: readonly HistoryEntryView[],
    private readonly view: PersonalDataView,
    private readonly context: RequestContext,
  ) {}

  async value(eventId: string, key: string): Promise<string | null> {
    if (this.view !== 'visible') return null;
    this.opened ??= this.openAndRecord();
    const value = (await this.opened).get(eventId)?.[key];
    return value === undefined ? null : canonicalJson(value);
  }

  private async openAndRecord(): Promise<Map<string, Record<string, unknown>>> {
    const sealed = this.events.filter((event) => isSealed(event.data['personal']));
    const opened = await this.cipher.openMany<Record<string, unknown>>(sealed.map((event) => event.data['personal'] as unknown as SealedPersonalData));
    const values = new Map<string, Record<string, unknown>>();
    sealed.forEach((event, index) => {
      const result = opened[index];
      if (result && !result.erased) values.set(event.id, result.value);
    });
    if (values.size === 0) return values;
    const fields = [
      ...new Set(this.entries.filter((entry) => values.has(entry.eventId)).flatMap((entry) => entry.changes.filter((c) => c.personal).map((c) => c.field))),
    ];
    const { principal, correlationId } = this.context;
    await this.recorder.record({
      userId: principal.userId,
      organisationId: principal.organisationId,
      roles: principal.roles,
      subjectId: this.referral.subjectId,
      referralId: this.referral.referralId,
      fields,
      purpose: 'history',
      service: 'audit',
      correlationId,
    });
    return values;
  }
}

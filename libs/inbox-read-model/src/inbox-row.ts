import type { ReferralEvent, ReferralStatus } from '@koppelstuk/domain';

/** A row of inbox.referrals, as the projection holds it in memory (dates as ISO strings). */
export interface InboxRow {
  referral_id: string;
  journey_root_id: string;
  forwarded_from: string | null;
  forwarded_to: string | null;
  city_id: string;
  partner_id: string;
  partner_kind: string;
  service_id: string;
  need_category: string;
  status: ReferralStatus;
  status_before_hold: ReferralStatus | null;
  kvk_number: string;
  business_name: string;
  sbi_code: string | null;
  size_class: string;
  subject_id: string;
  consent_id: string;
  personal: Record<string, unknown>;
  sent_at: string;
  sla_due_at: string;
  first_response_at: string | null;
  overdue_flag: boolean;
  last_activity_at: string;
  version: number;
}

export const INBOX_COLUMNS = [
  'referral_id',
  'journey_root_id',
  'forwarded_from',
  'forwarded_to',
  'city_id',
  'partner_id',
  'partner_kind',
  'service_id',
  'need_category',
  'status',
  'status_before_hold',
  'kvk_number',
  'business_name',
  'sbi_code',
  'size_class',
  'subject_id',
  'consent_id',
  'personal',
  'sent_at',
  'sla_due_at',
  'first_response_at',
  'overdue_flag',
  'last_activity_at',
  'version',
] as const satisfies readonly (keyof InboxRow)[];

/**
 * The row after one event of the referral's stream at `revision`. Pure: the same events give the same
 * row, and an event the row already reflects (revision ≤ version) returns the row unchanged.
 */
export function evolveInboxRow(row: InboxRow | null, event: ReferralEvent, revision: number): InboxRow | null {
  if (event.type === 'ReferralMade') {
    if (row) return row;
    const d = event.data;
    return {
      referral_id: d.referralId,
      journey_root_id: d.journeyRootId,
      forwarded_from: d.forwardedFromReferralId,
      forwarded_to: null,
      city_id: d.cityId,
      partner_id: d.partnerId,
      partner_kind: d.partnerKind,
      service_id: d.serviceId,
      need_category: d.needCategory,
      status: 'sent',
      status_before_hold: null,
      kvk_number: d.entrepreneur.kvkNumber,
      business_name: d.entrepreneur.businessName,
      sbi_code: d.entrepreneur.sbiCode,
      size_class: d.entrepreneur.sizeClass,
      subject_id: d.subjectId,
      consent_id: d.consent.consentId,
      personal: d.personal as unknown as Record<string, unknown>,
      sent_at: d.sentAt,
      sla_due_at: d.slaDueAt,
      first_response_at: null,
      overdue_flag: false,
      last_activity_at: d.sentAt,
      version: revision,
    };
  }
  if (!row || revision <= row.version) return row;
  const touched = (at: string, changes: Partial<InboxRow> = {}): InboxRow => ({
    ...row,
    ...changes,
    last_activity_at: Date.parse(at) > Date.parse(row.last_activity_at) ? at : row.last_activity_at,
    version: revision,
  });
  const answered = (at: string) => row.first_response_at ?? at;
  switch (event.type) {
    case 'ReferralAccepted':
      return touched(event.data.acceptedAt, { status: 'accepted', first_response_at: answered(event.data.acceptedAt) });
    case 'ReferralDeclined':
      return touched(event.data.declinedAt, { status: 'declined', first_response_at: answered(event.data.declinedAt) });
    case 'InformationRequested':
      return touched(event.data.requestedAt, { status: 'on_hold', status_before_hold: row.status, first_response_at: answered(event.data.requestedAt) });
    case 'InformationProvided':
      return touched(event.data.providedAt, { status: row.status_before_hold ?? 'sent', status_before_hold: null });
    case 'WorkStarted':
      return touched(event.data.startedAt, { status: 'in_progress' });
    case 'ReferralForwarded':
      return touched(event.data.forwardedAt, { status: 'forwarded', forwarded_to: event.data.toReferralId, first_response_at: answered(event.data.forwardedAt) });
    case 'ReferralWithdrawn':
      return touched(event.data.withdrawnAt, { status: 'withdrawn' });
    case 'OutcomeRecorded':
      return touched(event.data.recordedAt, { status: row.status === 'accepted' ? 'in_progress' : row.status });
    case 'ReferralClosed':
      return touched(event.data.closedAt, { status: 'completed' });
    case 'ReferralOverdue':
      return touched(event.data.detectedAt, { overdue_flag: true });
  }
}

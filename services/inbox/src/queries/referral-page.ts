import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { canSeeReferral, personalDataView, type PersonalDataView, type Subject } from '@koppelstuk/domain';
import type { Principal } from '@koppelstuk/auth';
import type { AccessPurpose } from '@koppelstuk/personal-data';
import { appError } from '@koppelstuk/service-kit';
import { InboxConsentRow, InboxErasureRow, InboxReferralRow } from '@koppelstuk/inbox-read-model';

export interface ReferralFilter {
  readonly status?: readonly string[] | null;
  readonly needCategory?: string | null;
  readonly overdue?: boolean | null;
  readonly search?: string | null;
}

/**
 * A row as one reader sees it. The policy decision for its personal data needs the consents of every
 * person on the page: it is looked up once per page, and only when a query asks for personal fields.
 */
export interface InboxReferral {
  readonly row: InboxReferralRow;
  readonly personalData: () => Promise<PersonalDataView>;
  readonly purpose: AccessPurpose;
}

/** totalCount is a query of its own: run only when asked for. */
export interface Page {
  readonly edges: { cursor: string; node: InboxReferral }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: () => Promise<number>;
}

const MAX_PAGE = 100;

@Injectable()
export class ReferralPages {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    principal: Principal,
    scope: { column: 'partner_id' | 'city_id'; organisationId: string | null },
    filter: ReferralFilter | null | undefined,
    first: number,
    after: string | null | undefined,
    purpose: AccessPurpose,
  ): Promise<Page> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw appError('BAD_USER_INPUT', `first is 1 to ${MAX_PAGE}`, { field: 'first' });
    }
    const base = this.dataSource.getRepository(InboxReferralRow).createQueryBuilder('r');
    if (scope.organisationId !== null) base.where(`r.${scope.column} = :organisationId`, { organisationId: scope.organisationId });
    applyFilter(base, filter);
    let total: Promise<number> | null = null;
    const query = base.clone().orderBy('r.lastActivityAt', 'DESC').addOrderBy('r.referralId', 'DESC').take(first + 1);
    if (after) {
      const { at, id } = decodeCursor(after);
      query.andWhere('(r.last_activity_at, r.referral_id) < (:at, :id)', { at, id });
    }
    const rows = await query.getMany();
    const views = this.withPolicy(principal, rows.slice(0, first), purpose);
    const edges = views.map((node) => ({ cursor: encodeCursor(node.row), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges[edges.length - 1]?.cursor ?? null },
      totalCount: () => (total ??= base.clone().getCount()),
    };
  }

  /** One referral for the gateway's entity lookups and journeys: null unless this reader may see it. */
  async one(principal: Principal, referralId: string, purpose: AccessPurpose): Promise<InboxReferral | null> {
    if (!/^[0-9a-f-]{36}$/i.test(referralId)) return null;
    const row = await this.dataSource.getRepository(InboxReferralRow).findOneBy({ referralId });
    if (!row || !canSeeReferral(principal, row)) return null;
    return this.withPolicy(principal, [row], purpose)[0] ?? null;
  }

  async journey(principal: Principal, journeyRootId: string): Promise<InboxReferralRow[]> {
    const rows = await this.dataSource.getRepository(InboxReferralRow).find({ where: { journeyRootId }, order: { sentAt: 'ASC' } });
    return rows.filter((row) => canSeeReferral(principal, row));
  }

  async workload(column: 'partner_id' | 'city_id', organisationId: string) {
    const [row] = await this.dataSource.query(
      `select count(*) filter (where status in ('sent', 'accepted', 'in_progress', 'on_hold'))::int as open,
              count(*) filter (where overdue_flag and first_response_at is null and status = 'sent')::int as overdue,
              count(*) filter (where status = 'on_hold')::int as "awaitingInformation"
         from inbox.referrals where ${column} = $1`,
      [organisationId],
    );
    return row as { open: number; overdue: number; awaitingInformation: number };
  }

  private withPolicy(principal: Principal, rows: InboxReferralRow[], purpose: AccessPurpose): InboxReferral[] {
    let subjects: Promise<Map<string, Subject>> | null = null;
    const now = new Date().toISOString();
    return rows.map((row) => ({
      row,
      purpose,
      personalData: async () => {
        subjects ??= this.subjects(rows.map((r) => r.subjectId));
        const subject = (await subjects).get(row.subjectId) ?? null;
        return personalDataView(principal, { cityId: row.cityId, partnerId: row.partnerId, consentId: row.consentId }, subject, now);
      },
    }));
  }

  /** The consents and erasures of these people, as the read model holds them. */
  private async subjects(ids: readonly string[]): Promise<Map<string, Subject>> {
    const subjectIds = [...new Set(ids)];
    const subjects = new Map<string, Subject>();
    if (subjectIds.length === 0) return subjects;
    const [consents, erasures] = await Promise.all([
      this.dataSource.getRepository(InboxConsentRow).createQueryBuilder('c').where('c.subject_id in (:...ids)', { ids: subjectIds }).getMany(),
      this.dataSource.getRepository(InboxErasureRow).createQueryBuilder('e').where('e.subject_id in (:...ids)', { ids: subjectIds }).getMany(),
    ]);
    for (const subjectId of subjectIds) {
      subjects.set(subjectId, {
        subjectId,
        erasedAt: erasures.find((e) => e.subjectId === subjectId)?.erasedAt.toISOString() ?? null,
        consents: consents
          .filter((c) => c.subjectId === subjectId)
          .map((c) => ({
            consentId: c.consentId,
            cityId: c.cityId,
            partnerId: c.partnerId,
            purpose: c.purpose,
            givenAt: c.givenAt.toISOString(),
            expiresAt: c.expiresAt.toISOString(),
            anonymousStatistics: c.anonymousStatistics,
            withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
          })),
      });
    }
    return subjects;
  }
}

function applyFilter(query: SelectQueryBuilder<InboxReferralRow>, filter: ReferralFilter | null | undefined): void {
  if (!filter) return;
  if (filter.status?.length) query.andWhere('r.status in (:...statuses)', { statuses: filter.status });
  if (filter.needCategory) query.andWhere('r.need_category = :need', { need: filter.needCategory });
  if (filter.overdue === true) query.andWhere(`r.overdue_flag and r.first_response_at is null and r.status = 'sent'`);
  if (filter.overdue === false) query.andWhere(`not (r.overdue_flag and r.first_response_at is null and r.status = 'sent')`);
  const search = filter.search?.trim();
  if (search) {
    if (search.length > 100) throw appError('BAD_USER_INPUT', 'Search for at most 100 characters', { field: 'filter.search' });
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.andWhere('(r.business_name ilike :pattern or r.kvk_number like :pattern)', { pattern });
  }
}

function encodeCursor(row: InboxReferralRow): string {
  return Buffer.from(`${row.lastActivityAt.toISOString()}|${row.referralId}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw appError('BAD_USER_INPUT', 'That is not a cursor from this list', { field: 'after' });
  }
  return { at, id };
}

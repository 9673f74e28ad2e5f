import { Column, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The outcome statistics read model: one row per referral with the dimensions it is counted under, and
 * one row per event that matters to the figures (a "fact"). Every figure is computed from these two
 * tables at query time, as of an instant: a row only counts once it was *recorded* (the event store's
 * recordedAt) by then, so a report as of T can be reproduced exactly later, whatever was recorded after T.
 *
 * No personal data: the KvK number identifies a business, not a person, and is only used to count
 * distinct entrepreneurs.
 */
export const OUTCOMES_SCHEMA = 'outcomes';
export const OUTCOME_TABLES = ['referrals', 'facts'] as const;

export const FACT_KINDS = ['accepted', 'declined', 'information_requested', 'forwarded', 'withdrawn', 'outcome', 'closed'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

@Entity({ schema: OUTCOMES_SCHEMA, name: 'referrals' })
export class OutcomeReferralRow {
  @PrimaryColumn('uuid', { name: 'referral_id' }) referralId!: string;
  @Column('uuid', { name: 'journey_root_id' }) journeyRootId!: string;
  @Column('text', { name: 'city_id' }) cityId!: string;
  @Column('text', { name: 'partner_id' }) partnerId!: string;
  @Column('text', { name: 'partner_kind' }) partnerKind!: string;
  @Column('text', { name: 'need_category' }) needCategory!: string;
  @Column('text', { name: 'kvk_number' }) kvkNumber!: string;
  /** Domain time: when the city sent it. Periods are taken from this, in Europe/Amsterdam. */
  @Column('timestamptz', { name: 'sent_at' }) sentAt!: Date;
  /** When the event store recorded the ReferralMade event. */
  @Column('timestamptz', { name: 'made_recorded_at' }) madeRecordedAt!: Date;
  @Column('timestamptz', { name: 'sla_due_at' }) slaDueAt!: Date;
  /** consent.anonymousStatistics: only these referrals are counted, anywhere. */
  @Column('boolean') counted!: boolean;
  @Column('uuid', { name: 'made_event_id' }) madeEventId!: string;
  @Column('numeric', { name: 'commit_position', precision: 20, scale: 0 }) commitPosition!: string;
  @Column('numeric', { name: 'prepare_position', precision: 20, scale: 0 }) preparePosition!: string;
}

@Entity({ schema: OUTCOMES_SCHEMA, name: 'facts' })
export class OutcomeFactRow {
  @PrimaryColumn('uuid', { name: 'event_id' }) eventId!: string;
  @Column('uuid', { name: 'referral_id' }) referralId!: string;
  @Column('text') kind!: FactKind;
  /** Domain time of the event (acceptedAt, declinedAt, …, an outcome's occurredAt). */
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  /** When the event store recorded it: what as-of reports cut on. */
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('text', { name: 'decline_reason', nullable: true }) declineReason!: string | null;
  @Column('text', { name: 'outcome_code', nullable: true }) outcomeCode!: string | null;
  @Column('bigint', { name: 'amount_cents', nullable: true }) amountCents!: string | null;
  @Column('integer', { name: 'jobs_retained', nullable: true }) jobsRetained!: number | null;
  @Column('integer', { name: 'jobs_created', nullable: true }) jobsCreated!: number | null;
  @Column('numeric', { name: 'commit_position', precision: 20, scale: 0 }) commitPosition!: string;
  @Column('numeric', { name: 'prepare_position', precision: 20, scale: 0 }) preparePosition!: string;
}

export const OUTCOME_ENTITIES = [OutcomeReferralRow, OutcomeFactRow];

export class OutcomeStatisticsTables1764000000400 implements MigrationInterface {
  readonly name = 'OutcomeStatisticsTables1764000000400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create schema if not exists ${OUTCOMES_SCHEMA}`);
    await runner.query(`
      create table ${OUTCOMES_SCHEMA}.referrals (
        referral_id       uuid not null,
        journey_root_id   uuid not null,
        city_id           text not null,
        partner_id        text not null,
        partner_kind      text not null,
        need_category     text not null,
        kvk_number        text not null,
        sent_at           timestamptz not null,
        made_recorded_at  timestamptz not null,
        sla_due_at        timestamptz not null,
        counted           boolean not null,
        made_event_id     uuid not null,
        commit_position   numeric(20, 0) not null,
        prepare_position  numeric(20, 0) not null,
        constraint outcomes_referrals_pkey primary key (referral_id)
      )`);
    await runner.query(`create index outcomes_referrals_by_city on ${OUTCOMES_SCHEMA}.referrals (city_id, sent_at)`);
    await runner.query(`create index outcomes_referrals_by_partner on ${OUTCOMES_SCHEMA}.referrals (partner_id, sent_at)`);
    await runner.query(`
      create table ${OUTCOMES_SCHEMA}.facts (
        event_id          uuid not null,
        referral_id       uuid not null,
        kind              text not null,
        occurred_at       timestamptz not null,
        recorded_at       timestamptz not null,
        decline_reason    text,
        outcome_code      text,
        amount_cents      bigint,
        jobs_retained     integer,
        jobs_created      integer,
        commit_position   numeric(20, 0) not null,
        prepare_position  numeric(20, 0) not null,
        constraint outcomes_facts_pkey primary key (event_id),
        constraint outcomes_facts_kind check (kind in (${FACT_KINDS.map((kind) => `'${kind}'`).join(', ')}))
      )`);
    await runner.query(`create index outcomes_facts_by_referral on ${OUTCOMES_SCHEMA}.facts (referral_id, recorded_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop schema ${OUTCOMES_SCHEMA} cascade`);
  }
}

/** The read model's migrations, in order (the crash harness loads this export by name). */
export const outcomesMigrations = [OutcomeStatisticsTables1764000000400];

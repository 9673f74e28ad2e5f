import { Column, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** One row per referral: what inbox and tracker lists show and filter on. Personal data stays sealed. */
@Entity({ schema: 'inbox', name: 'referrals' })
export class InboxReferralRow {
  @PrimaryColumn('uuid', { name: 'referral_id' }) referralId!: string;
  @Column('uuid', { name: 'journey_root_id' }) journeyRootId!: string;
  @Column('uuid', { name: 'forwarded_from', nullable: true }) forwardedFrom!: string | null;
  @Column('uuid', { name: 'forwarded_to', nullable: true }) forwardedTo!: string | null;
  @Column('text', { name: 'city_id' }) cityId!: string;
  @Column('text', { name: 'partner_id' }) partnerId!: string;
  @Column('text', { name: 'partner_kind' }) partnerKind!: string;
  @Column('text', { name: 'service_id' }) serviceId!: string;
  @Column('text', { name: 'need_category' }) needCategory!: string;
  @Column('text') status!: string;
  @Column('text', { name: 'status_before_hold', nullable: true }) statusBeforeHold!: string | null;
  @Column('text', { name: 'kvk_number' }) kvkNumber!: string;
  @Column('text', { name: 'business_name' }) businessName!: string;
  @Column('text', { name: 'sbi_code', nullable: true }) sbiCode!: string | null;
  @Column('text', { name: 'size_class' }) sizeClass!: string;
  @Column('uuid', { name: 'subject_id' }) subjectId!: string;
  @Column('uuid', { name: 'consent_id' }) consentId!: string;
  @Column('jsonb') personal!: Record<string, unknown>;
  @Column('timestamptz', { name: 'sent_at' }) sentAt!: Date;
  @Column('timestamptz', { name: 'sla_due_at' }) slaDueAt!: Date;
  @Column('timestamptz', { name: 'first_response_at', nullable: true }) firstResponseAt!: Date | null;
  @Column('boolean', { name: 'overdue_flag' }) overdueFlag!: boolean;
  @Column('timestamptz', { name: 'last_activity_at' }) lastActivityAt!: Date;
  @Column('integer') version!: number;
}

/** Consents and erasures, so that lists can tell who may see whose personal data without a stream read. */
@Entity({ schema: 'inbox', name: 'consents' })
export class InboxConsentRow {
  @PrimaryColumn('uuid', { name: 'consent_id' }) consentId!: string;
  @Column('uuid', { name: 'subject_id' }) subjectId!: string;
  @Column('text', { name: 'city_id' }) cityId!: string;
  @Column('text', { name: 'partner_id' }) partnerId!: string;
  @Column('text') purpose!: string;
  @Column('timestamptz', { name: 'given_at' }) givenAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('boolean', { name: 'anonymous_statistics' }) anonymousStatistics!: boolean;
  @Column('timestamptz', { name: 'withdrawn_at', nullable: true }) withdrawnAt!: Date | null;
}

@Entity({ schema: 'inbox', name: 'erasures' })
export class InboxErasureRow {
  @PrimaryColumn('uuid', { name: 'subject_id' }) subjectId!: string;
  @Column('timestamptz', { name: 'erased_at' }) erasedAt!: Date;
}

export class InboxTables1764000000200 implements MigrationInterface {
  name = 'InboxTables1764000000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create schema if not exists inbox`);
    await runner.query(`
      create table inbox.referrals (
        referral_id        uuid primary key,
        journey_root_id    uuid not null,
        forwarded_from     uuid,
        forwarded_to       uuid,
        city_id            text not null,
        partner_id         text not null,
        partner_kind       text not null,
        service_id         text not null,
        need_category      text not null,
        status             text not null,
        status_before_hold text,
        kvk_number         text not null,
        business_name      text not null,
        sbi_code           text,
        size_class         text not null,
        subject_id         uuid not null,
        consent_id         uuid not null,
        personal           jsonb not null,
        sent_at            timestamptz not null,
        sla_due_at         timestamptz not null,
        first_response_at  timestamptz,
        overdue_flag       boolean not null default false,
        last_activity_at   timestamptz not null,
        version            integer not null
      )`);
    // The two list orders: a partner's inbox and a city's tracker, newest activity first.
    await runner.query(`create index inbox_by_partner on inbox.referrals (partner_id, last_activity_at desc, referral_id desc)`);
    await runner.query(`create index inbox_by_city on inbox.referrals (city_id, last_activity_at desc, referral_id desc)`);
    await runner.query(`create index inbox_by_journey on inbox.referrals (journey_root_id, sent_at)`);
    await runner.query(`
      create table inbox.consents (
        consent_id           uuid primary key,
        subject_id           uuid not null,
        city_id              text not null,
        partner_id           text not null,
        purpose              text not null,
        given_at             timestamptz not null,
        expires_at           timestamptz not null,
        anonymous_statistics boolean not null,
        withdrawn_at         timestamptz
      )`);
    await runner.query(`create index inbox_consents_by_subject on inbox.consents (subject_id)`);
    await runner.query(`create table inbox.erasures (subject_id uuid primary key, erased_at timestamptz not null)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop schema inbox cascade`);
  }
}

import { Column, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Referrals still open, for the duplicate warning and the deadline watcher. */
@Entity({ schema: 'referrals', name: 'open_referrals' })
export class OpenReferralRow {
  @PrimaryColumn('uuid', { name: 'referral_id' }) referralId!: string;
  @Column('text', { name: 'city_id' }) cityId!: string;
  @Column('text', { name: 'kvk_number' }) kvkNumber!: string;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'sla_due_at' }) slaDueAt!: Date;
  @Column('boolean') overdue!: boolean;
}

/** Forwards whose new referral has not been seen yet (normally for milliseconds). */
@Entity({ schema: 'referrals', name: 'pending_forwards' })
export class PendingForwardRow {
  @PrimaryColumn('uuid', { name: 'referral_id' }) referralId!: string;
  @Column('uuid', { name: 'to_referral_id' }) toReferralId!: string;
  @Column('timestamptz', { name: 'forwarded_at' }) forwardedAt!: Date;
}

export class ReferralProcessTables1764000000100 implements MigrationInterface {
  name = 'ReferralProcessTables1764000000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create schema if not exists referrals`);
    await runner.query(`
      create table referrals.open_referrals (
        referral_id uuid primary key,
        city_id     text not null,
        kvk_number  text not null,
        status      text not null,
        sla_due_at  timestamptz not null,
        overdue     boolean not null default false
      )`);
    await runner.query(`create index open_referrals_by_kvk on referrals.open_referrals (city_id, kvk_number)`);
    await runner.query(`create index open_referrals_due on referrals.open_referrals (sla_due_at) where status = 'sent' and not overdue`);
    await runner.query(`
      create table referrals.pending_forwards (
        referral_id    uuid primary key,
        to_referral_id uuid not null unique,
        forwarded_at   timestamptz not null
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop schema referrals cascade`);
  }
}

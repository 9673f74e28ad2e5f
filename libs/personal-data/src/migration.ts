import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The subject-key table and the personal-data access log. Shared by every service that seals or opens
 * personal data (one key per subject is what makes erasure reach everywhere), so the statements are
 * idempotent: each service's migrations may include this one.
 */
export class PersonalDataTables1764000000000 implements MigrationInterface {
  name = 'PersonalDataTables1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`select pg_advisory_xact_lock(7150412)`);
    await runner.query(`create schema if not exists personal_data`);
    await runner.query(`
      create table if not exists personal_data.subject_keys (
        subject_id    uuid primary key,
        key_id        uuid not null,
        wrapped_key   bytea,
        master_key_id text,
        created_at    timestamptz not null default now(),
        erased_at     timestamptz,
        constraint erased_keys_hold_no_key check (erased_at is null or wrapped_key is null)
      )`);
    await runner.query(`
      create table if not exists personal_data.access_log (
        id              bigint generated always as identity primary key,
        accessed_at     timestamptz not null default now(),
        user_id         text not null,
        organisation_id text not null,
        roles           text[] not null,
        subject_id      uuid not null,
        referral_id     uuid,
        fields          text[] not null,
        purpose         text not null,
        service         text not null,
        correlation_id  text
      )`);
    await runner.query(`create index if not exists access_log_subject on personal_data.access_log (subject_id, id)`);
  }

  async down(): Promise<void> {
    // Dropping the key table would destroy every subject's data: never done by a migration.
  }
}

import { Column, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * One row per event of the global log, in log order: its place in the hash chain (a dense sequence), what
 * the audit log filters on (actor, type, time, and the referral's city and partner for tenancy) and the
 * chain hash. The events themselves stay in the event store; verification re-reads them from there.
 */
@Entity({ schema: 'audit', name: 'chain' })
export class AuditChainRow {
  @PrimaryColumn('bigint') sequence!: string;
  @Column('numeric', { name: 'commit_position' }) commitPosition!: string;
  @Column('numeric', { name: 'prepare_position' }) preparePosition!: string;
  @Column('uuid', { name: 'event_id' }) eventId!: string;
  @Column('text') stream!: string;
  @Column('bigint') revision!: string;
  @Column('text', { name: 'event_type' }) eventType!: string;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('text', { name: 'actor_user_id' }) actorUserId!: string;
  @Column('text', { name: 'actor_organisation_id', nullable: true }) actorOrganisationId!: string | null;
  @Column('text', { name: 'actor_roles', array: true }) actorRoles!: string[];
  @Column('text', { name: 'city_id', nullable: true }) cityId!: string | null;
  @Column('text', { name: 'partner_id', nullable: true }) partnerId!: string | null;
  @Column('text') hash!: string;
}

/** A signed statement "the chain's hash at sequence N is H", for an auditor to keep outside the system. */
@Entity({ schema: 'audit', name: 'checkpoints' })
export class ChainCheckpointRow {
  @PrimaryColumn('bigint') sequence!: string;
  @Column('text') hash!: string;
  @Column('text') signature!: string;
  @Column('text', { name: 'public_key' }) publicKey!: string;
  @Column('text', { name: 'key_id' }) keyId!: string;
  @Column('text') kind!: 'periodic' | 'on_demand';
  @Column('timestamptz', { name: 'signed_at' }) signedAt!: Date;
}

export class AuditTables1764000000500 implements MigrationInterface {
  name = 'AuditTables1764000000500';

  async up(runner: QueryRunner): Promise<void> {
    // The service and the CLI may both start on a fresh database at once: one migrates, the other finds it done.
    await runner.query(`select pg_advisory_xact_lock(7150413)`);
    await runner.query(`create schema if not exists audit`);
    await runner.query(`
      create table if not exists audit.chain (
        sequence              bigint primary key check (sequence > 0),
        commit_position       numeric(20, 0) not null,
        prepare_position      numeric(20, 0) not null,
        event_id              uuid not null,
        stream                text not null,
        revision              bigint not null,
        event_type            text not null,
        recorded_at           timestamptz not null,
        actor_user_id         text not null,
        actor_organisation_id text,
        actor_roles           text[] not null,
        city_id               text,
        partner_id            text,
        hash                  text not null,
        constraint audit_chain_position_key unique (commit_position, prepare_position)
      )`);
    // History and tenancy look rows up by stream; verification diagnoses by event id.
    await runner.query(`create index if not exists audit_chain_by_stream on audit.chain (stream, revision)`);
    await runner.query(`create index if not exists audit_chain_by_event on audit.chain (event_id)`);
    // The audit log: newest first (by sequence) within each filter and each tenancy scope.
    await runner.query(`create index if not exists audit_chain_by_city on audit.chain (city_id, sequence desc) where city_id is not null`);
    await runner.query(`create index if not exists audit_chain_by_partner on audit.chain (partner_id, sequence desc) where partner_id is not null`);
    await runner.query(`create index if not exists audit_chain_by_organisation on audit.chain (actor_organisation_id, sequence desc)`);
    await runner.query(`create index if not exists audit_chain_by_actor on audit.chain (actor_user_id, sequence desc)`);
    await runner.query(`create index if not exists audit_chain_by_type on audit.chain (event_type, sequence desc)`);
    await runner.query(`create index if not exists audit_chain_by_time on audit.chain (recorded_at)`);
    // Not owned by the chain projection: a rebuild must never replace the signed evidence of what the chain was.
    await runner.query(`
      create table if not exists audit.checkpoints (
        sequence   bigint primary key,
        hash       text not null,
        signature  text not null,
        public_key text not null,
        key_id     text not null,
        kind       text not null check (kind in ('periodic', 'on_demand')),
        signed_at  timestamptz not null default now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop schema audit cascade`);
  }
}

export const auditMigrations = [AuditTables1764000000500];

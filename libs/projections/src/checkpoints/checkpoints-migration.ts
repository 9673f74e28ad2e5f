import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The runner's own table. Every read-model service lists this migration in its DataSource `migrations`;
 * several services may share one database (and one migrations table or not), so it is idempotent.
 *
 * Positions are numeric(20): both PostgreSQL transaction ids (xid8) and KurrentDB positions are unsigned
 * 64-bit numbers, which do not fit a bigint.
 */
export class ProjectionCheckpoints1767225600000 implements MigrationInterface {
  readonly name = 'ProjectionCheckpoints1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create schema if not exists projections');
    await queryRunner.query(`
      create table if not exists projections.checkpoints (
        name                   text primary key,
        commit_position        numeric(20, 0),
        prepare_position       numeric(20, 0),
        events_applied         bigint not null default 0,
        last_event_recorded_at timestamptz,
        updated_at             timestamptz not null default now(),
        status                 text not null default 'active',
        failed_event_id        text,
        failure                text,
        constraint checkpoints_position_pair check ((commit_position is null) = (prepare_position is null)),
        constraint checkpoints_status check (status in ('active', 'failed'))
      )`);
  }

  /** Nothing: other services in the same database may still depend on the table. */
  async down(): Promise<void> {
    return undefined;
  }
}

/** The migration class to add to a service's DataSource `migrations`. */
export const projectionsMigration = ProjectionCheckpoints1767225600000;

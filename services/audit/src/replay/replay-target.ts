import type { MigrationInterface } from 'typeorm';
import type { ProjectionDefinition } from '@koppelstuk/projections';

export type MigrationClass = new () => MigrationInterface;

/** A projection the replay engine can rebuild and compare: its definition and how its live tables are made. */
export interface ReplayTarget {
  readonly projection: ProjectionDefinition;
  /** The TypeORM migrations that create the live tables (the scratch copies are made from those). */
  readonly migrations: readonly MigrationClass[];
  /**
   * The owning service's TypeORM migrations table (`koppelstuk_<service>_migrations`), so that running the
   * migrations from here, when the service never ran against this database, is recorded where it looks.
   */
  readonly migrationsTable: string;
}

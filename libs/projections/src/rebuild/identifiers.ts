const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Schema and table names end up in DDL, so they are restricted to plain lower-case identifiers (what
 * TypeORM migrations produce by default) instead of being quoted and escaped everywhere.
 */
export function assertIdentifier(kind: string, value: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new RangeError(`${kind} "${value}" must be a plain lower-case PostgreSQL identifier (a-z, 0-9, _; at most 63 characters)`);
  }
  return value;
}

/** Where a rebuild writes before the switch. */
export function scratchSchemaOf(schema: string): string {
  return assertIdentifier('rebuild schema', `${schema}_rebuild`);
}

export function rebuildCheckpointOf(projectionName: string): string {
  return `${projectionName}:rebuild`;
}

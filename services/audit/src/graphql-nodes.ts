import type { EventActor } from './chain/chain-row';

/** Organisations belong to the directory subgraph: this one only names them by id. */
export const organisationRef = (id: string | null) => (id ? { __typename: 'Organisation' as const, id } : null);

export interface ActorNode {
  readonly userId: string;
  readonly organisation: ReturnType<typeof organisationRef>;
  readonly roles: readonly string[];
}

export const actorNode = (actor: EventActor): ActorNode => ({ userId: actor.userId, organisation: organisationRef(actor.organisationId), roles: actor.roles });

/** Relay cursors over a numeric key (chain sequence, access-log id): opaque to clients, checked on the way back. */
export const encodeCursor = (kind: string, key: number | string): string => Buffer.from(`${kind}:${key}`).toString('base64url');

export function decodeCursor(kind: string, cursor: string): string | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = new RegExp(`^${kind}:(\\d{1,19})$`).exec(text);
  return match ? (match[1] as string) : null;
}

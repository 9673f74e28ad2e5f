import { resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DevIssuer } from '@koppelstuk/auth';
import { ROLES, type Role } from '@koppelstuk/domain';
import { SERVICE_CONFIG } from '@koppelstuk/service-kit';
import type { GatewayConfig } from '../config';

export interface DevIdentityMember {
  readonly userId: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
}

export interface DevIdentityOrganisation {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly municipalityCode: string | null;
  readonly members: readonly DevIdentityMember[];
}

export interface DevTokenRequest {
  readonly userId: string;
  readonly organisationId: string;
  readonly role: Role;
}

export interface DevToken {
  readonly token: string;
  readonly expiresAt: string;
  readonly principal: {
    readonly userId: string;
    readonly displayName: string;
    readonly organisationId: string;
    readonly organisationName: string;
    readonly organisationKind: string;
    readonly municipalityCode: string | null;
    readonly roles: readonly Role[];
  };
}

/** A refusal the caller can act on (an unknown organisation, user or role), or a directory that does not answer. */
export class DevIdentityError extends Error {
  constructor(
    readonly code: 'BAD_USER_INPUT' | 'FORBIDDEN' | 'SERVICE_UNAVAILABLE',
    message: string,
  ) {
    super(message);
  }
}

const DIRECTORY_QUERY = '{ organisations { id name kind municipalityCode members { userId displayName roles } } }';
const TOKEN_LIFETIME_SECONDS = 8 * 3600;

/**
 * Development sign-in: who may be chosen is whoever the directory lists as a member with that role (read
 * from the directory subgraph with a one-minute admin token of the development issuer), and the token is
 * signed by that same issuer, which every service of this installation trusts.
 */
@Injectable()
export class DevIdentityService {
  private issuer: Promise<DevIssuer> | null = null;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: GatewayConfig) {}

  private devIssuer(): Promise<DevIssuer> {
    this.issuer ??= DevIssuer.loadOrCreate(resolve(this.config.KOPPELSTUK_DATA_DIR));
    return this.issuer;
  }

  async identities(): Promise<DevIdentityOrganisation[]> {
    const issuer = await this.devIssuer();
    const token = await issuer.issue({ userId: 'gateway.dev-identities', organisationId: 'koppelstuk-gateway', roles: ['admin'], expiresInSeconds: 60 });
    let body: { data?: { organisations?: DevIdentityOrganisation[] }; errors?: { message: string }[] };
    try {
      const response = await fetch(this.config.DIRECTORY_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: DIRECTORY_QUERY }),
        signal: AbortSignal.timeout(5000),
      });
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw new DevIdentityError('SERVICE_UNAVAILABLE', `The directory does not answer (${(error as Error).message}); is it running?`);
    }
    const organisations = body.data?.organisations;
    if (!organisations) throw new DevIdentityError('SERVICE_UNAVAILABLE', `The directory refused the list of organisations: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    return organisations
      .map((organisation) => ({
        id: organisation.id,
        name: organisation.name,
        kind: organisation.kind,
        municipalityCode: organisation.municipalityCode ?? null,
        members: (organisation.members ?? []).map((member) => ({ userId: member.userId, displayName: member.displayName, roles: member.roles.filter(isRole) })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  }

  async issue(request: unknown): Promise<DevToken> {
    const { userId, organisationId, role } = parseRequest(request);
    const organisation = (await this.identities()).find((o) => o.id === organisationId);
    if (!organisation) throw new DevIdentityError('FORBIDDEN', `The directory has no organisation "${organisationId}"`);
    const member = organisation.members.find((m) => m.userId === userId);
    if (!member) throw new DevIdentityError('FORBIDDEN', `"${userId}" is not a member of ${organisation.name}`);
    if (!member.roles.includes(role)) throw new DevIdentityError('FORBIDDEN', `${member.displayName} does not have the role ${role} at ${organisation.name}`);
    const issuer = await this.devIssuer();
    const token = await issuer.issue({ userId, organisationId, roles: [role], expiresInSeconds: TOKEN_LIFETIME_SECONDS });
    return {
      token,
      expiresAt: new Date(Date.now() + TOKEN_LIFETIME_SECONDS * 1000).toISOString(),
      principal: {
        userId,
        displayName: member.displayName,
        organisationId,
        organisationName: organisation.name,
        organisationKind: organisation.kind,
        municipalityCode: organisation.municipalityCode,
        roles: [role],
      },
    };
  }
}

const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

function parseRequest(request: unknown): DevTokenRequest {
  const body = (request && typeof request === 'object' ? request : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof body[key] === 'string' && (body[key] as string).trim() !== '' ? (body[key] as string) : null);
  const userId = text('userId');
  const organisationId = text('organisationId');
  const role = body['role'];
  if (!userId || !organisationId) throw new DevIdentityError('BAD_USER_INPUT', 'Give userId, organisationId and role');
  if (!isRole(role)) throw new DevIdentityError('BAD_USER_INPUT', `role must be one of ${ROLES.join(', ')}`);
  return { userId, organisationId, role };
}

/** GET /portal/config: how this installation signs in (see services/gateway/src/dev-identity/portal-config.ts). */
export type PortalConfig =
  | { auth: 'development' }
  | { auth: 'oidc'; issuer: string; clientId: string | null; scope: string; organisationClaim: string; rolesClaim: string }
  | { auth: 'none' };

let cached: Promise<PortalConfig> | null = null;

export function portalConfig(): Promise<PortalConfig> {
  cached ??= fetch('/portal/config', { headers: { accept: 'application/json' } }).then(async (response) => {
    if (!response.ok) throw new Error(`GET /portal/config answered ${response.status}`);
    return (await response.json()) as PortalConfig;
  });
  cached.catch(() => {
    cached = null;
  });
  return cached;
}

export interface DevIdentityOrganisation {
  id: string;
  name: string;
  kind: string;
  municipalityCode: string | null;
  members: { userId: string; displayName: string; roles: string[] }[];
}

export interface ApiErrorBody {
  errors?: { message: string; extensions?: { code?: string } }[];
}

export class HttpApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & ApiErrorBody;
  if (!response.ok || body.errors) {
    const error = body.errors?.[0];
    throw new HttpApiError(error?.extensions?.code ?? (response.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'UNKNOWN'), error?.message ?? `HTTP ${response.status}`);
  }
  return body;
}

export const devIdentities = () => fetch('/dev/identities').then((r) => json<{ organisations: DevIdentityOrganisation[] }>(r));

export interface DevTokenResponse {
  token: string;
  expiresAt: string;
  principal: { userId: string; displayName: string; organisationId: string; organisationName: string; organisationKind: string; municipalityCode: string | null; roles: string[] };
}

export const devToken = (request: { userId: string; organisationId: string; role: string }) =>
  fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) }).then((r) => json<DevTokenResponse>(r));

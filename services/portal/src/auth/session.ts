/** Who is signed in in this browser tab: the bearer token and what the portal shows about its holder. */
export type Role = 'city_officer' | 'partner_agent' | 'supervisor' | 'org_admin' | 'dpo' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['city_officer', 'partner_agent', 'supervisor', 'org_admin', 'dpo', 'auditor', 'admin'];

export interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly userId: string;
  readonly displayName: string;
  readonly organisationId: string;
  readonly organisationName: string | null;
  readonly roles: readonly Role[];
  readonly source: 'development' | 'oidc';
}

const KEY = 'koppelstuk.session';
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();
let expiredNotice = false;

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (Date.parse(session.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      expiredNotice = true;
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  expiredNotice = false;
  listeners.forEach((listener) => listener(session));
}

/** Signs out; `expired` makes the sign-in page say why. */
export function clearSession(expired = false): void {
  sessionStorage.removeItem(KEY);
  expiredNotice = expired;
  listeners.forEach((listener) => listener(null));
}

/** Whether the last session ended because it expired or the API refused its token (read once). */
export function takeExpiredNotice(): boolean {
  const notice = expiredNotice;
  expiredNotice = false;
  return notice;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const hasRole = (session: Session | null, role: Role) => !!session?.roles.includes(role);

/** Where a role starts: partners in their inbox, cities in their tracker, auditors and admins in the audit. */
export function homePath(session: Session): string {
  if (hasRole(session, 'partner_agent')) return '/inbox';
  if (hasRole(session, 'city_officer')) return '/city';
  return '/audit';
}

/** The payload of a JWT, unverified: only to choose screens (the gateway and every service verify the token). */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), claims);
}

import { jwtDecode } from 'jwt-decode';

/**
 * How a page signs in to Switchboard: a TaskRouter token (from a sign-in link, `#token=…`) or an API key or account
 * pair (HTTP Basic, as twilio-node sends it). Kept in sessionStorage, so it lasts as long as the tab and no longer.
 */
export type Credentials = { kind: 'token'; token: string } | { kind: 'basic'; user: string; password: string };

/** What a TaskRouter token's grant says, read from the token (its signature is the server's business). */
export interface TokenGrant {
  identity: string;
  accountSid: string;
  workspaceSid: string;
  workerSid: string | null;
  role: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

interface AccessTokenPayload {
  sub?: string;
  exp?: number;
  grants?: { identity?: string; task_router?: { workspace_sid?: string; worker_sid?: string; role?: string } };
}

/** The grant of a TaskRouter token; null when it is not one. */
export function tokenGrant(token: string): TokenGrant | null {
  try {
    const payload = jwtDecode<AccessTokenPayload>(token);
    const grant = payload.grants?.task_router;
    if (!grant?.workspace_sid || !payload.exp) return null;
    return {
      identity: payload.grants?.identity ?? '',
      accountSid: payload.sub ?? '',
      workspaceSid: grant.workspace_sid,
      workerSid: grant.worker_sid ?? null,
      role: grant.role ?? 'worker',
      expiresAt: payload.exp * 1000,
    };
  } catch {
    return null;
  }
}

const KEY = (page: string) => `switchboard.${page}.credentials`;

/**
 * The page's credentials: a `#token=` in the address wins (and is taken out of the address bar and history, so it is
 * not left on screen or shared by copying the link), else what this tab signed in with before.
 */
export function loadCredentials(page: string): Credentials | null {
  const hash = new URLSearchParams(location.hash.slice(1));
  const token = hash.get('token');
  if (token) {
    history.replaceState(null, '', location.pathname + location.search);
    const credentials: Credentials = { kind: 'token', token };
    saveCredentials(page, credentials);
    return credentials;
  }
  const saved = sessionStorage.getItem(KEY(page));
  if (!saved) return null;
  try {
    return JSON.parse(saved) as Credentials;
  } catch {
    return null;
  }
}

export function saveCredentials(page: string, credentials: Credentials): void {
  sessionStorage.setItem(KEY(page), JSON.stringify(credentials));
}

export function forgetCredentials(page: string): void {
  sessionStorage.removeItem(KEY(page));
}

/** The `Authorization` header for `credentials`. */
export function authorization(credentials: Credentials): string {
  if (credentials.kind === 'token') return `Bearer ${credentials.token}`;
  const bytes = new TextEncoder().encode(`${credentials.user}:${credentials.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

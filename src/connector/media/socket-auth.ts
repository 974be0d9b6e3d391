import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { readMediaToken, type MediaGrant } from './media-token.js';

/** Who opened a media WebSocket: a holder of the API credentials, or a browser with a media token. */
export type SocketPrincipal = { kind: 'account' } | { kind: 'grant'; grant: MediaGrant };

export interface SocketCredentials {
  accountSid: string;
  authToken: string;
}

/**
 * Authenticates a WebSocket upgrade: HTTP Basic with the API's pair (servers, tools), or a media token in the
 * `Token` query parameter (browsers cannot set headers on a WebSocket). Null when neither holds.
 */
export function authenticateSocket(req: IncomingMessage, query: URLSearchParams, credentials: SocketCredentials, nowMs: number): SocketPrincipal | null {
  const basic = parseBasic(req.headers.authorization);
  if (basic) return sameSecret(basic.user, credentials.accountSid) && sameSecret(basic.password, credentials.authToken) ? { kind: 'account' } : null;
  const token = query.get('Token');
  if (!token) return null;
  const grant = readMediaToken(credentials.authToken, credentials.accountSid, token, nowMs);
  return grant ? { kind: 'grant', grant } : null;
}

/** Compares through fixed-length digests in constant time, so neither length nor content leaks by timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function parseBasic(header: string | undefined): { user: string; password: string } | null {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

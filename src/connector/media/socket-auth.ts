import type { IncomingMessage } from 'node:http';
import { parseBasic, sameSecret } from '../../api/auth.js';
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

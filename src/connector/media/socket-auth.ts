import type { IncomingMessage } from 'node:http';
import { credentialCheck, parseBasic, type Credentials } from '../../api/auth.js';
import { readMediaToken, type MediaGrant } from './media-token.js';

/** Who opened a media WebSocket: a holder of the API credentials, or a browser with a media token. */
export type SocketPrincipal = { kind: 'account' } | { kind: 'grant'; grant: MediaGrant };

/** The API's Basic pairs (the account's and any API key's); the auth token also signs media tokens. */
export type SocketCredentials = Credentials;

/**
 * Authenticates a WebSocket upgrade: HTTP Basic with one of the API's pairs (servers, tools), or a media token in the
 * `Token` query parameter (browsers cannot set headers on a WebSocket). Null when neither holds.
 */
export function authenticateSocket(req: IncomingMessage, query: URLSearchParams, credentials: SocketCredentials, nowMs: number): SocketPrincipal | null {
  const basic = parseBasic(req.headers.authorization);
  if (basic) return credentialCheck(credentials)(basic.user, basic.password) ? { kind: 'account' } : null;
  const token = query.get('Token');
  if (!token) return null;
  const grant = readMediaToken(credentials.authToken, credentials.accountSid, token, nowMs);
  return grant ? { kind: 'grant', grant } : null;
}

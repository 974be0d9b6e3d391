import { createHmac } from 'node:crypto';
import { sameSecret } from '../../api/auth.js';

/** What a media token lets a browser do: be one agent's audio, or listen to one task's call. */
export type MediaGrant = { scope: 'agent'; identity: string } | { scope: 'listen'; taskSid: string };

interface TokenBody {
  /** Account the token was issued for. */
  acc: string;
  scope: MediaGrant['scope'];
  sub: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

/**
 * A short-lived token for the media WebSockets, which browsers open without an Authorization header: an
 * application holding the API credentials issues one per agent or per listening supervisor. It is the grant as
 * base64url JSON and an HMAC of it under the auth token, so any instance can check it and none has to store it.
 */
export function issueMediaToken(authToken: string, accountSid: string, grant: MediaGrant, ttlSeconds: number, nowMs: number): string {
  const body: TokenBody = {
    acc: accountSid,
    scope: grant.scope,
    sub: grant.scope === 'agent' ? grant.identity : grant.taskSid,
    exp: Math.floor(nowMs / 1000) + ttlSeconds,
  };
  const text = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return `${text}.${mac(authToken, text)}`;
}

/** The grant of a valid, unexpired token issued for `accountSid`; null for anything else. */
export function readMediaToken(authToken: string, accountSid: string, token: string, nowMs: number): MediaGrant | null {
  const [text, signature, ...rest] = token.split('.');
  if (!text || !signature || rest.length > 0) return null;
  if (!sameSecret(signature, mac(authToken, text))) return null;
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as TokenBody;
  } catch {
    return null;
  }
  if (!body || typeof body !== 'object') return null;
  if (body.acc !== accountSid || typeof body.sub !== 'string' || typeof body.exp !== 'number' || body.exp * 1000 <= nowMs) return null;
  if (body.scope === 'agent') return { scope: 'agent', identity: body.sub };
  if (body.scope === 'listen') return { scope: 'listen', taskSid: body.sub };
  return null;
}

function mac(authToken: string, text: string): string {
  return createHmac('sha256', authToken).update(`media-token\n${text}`, 'utf8').digest('base64url');
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { unauthorized } from '../core/errors.js';
import { sendError } from './errors.js';

/** The HTTP Basic pair the API accepts. */
export interface Credentials {
  accountSid: string;
  authToken: string;
}

/**
 * HTTP Basic authentication with the account SID and auth token, as twilio-node sends them. Both halves are
 * compared through fixed-length digests in constant time, so neither the length nor the content leaks by timing.
 */
export function basicAuth(credentials: Credentials): RequestHandler {
  const expectedUser = digest(credentials.accountSid);
  const expectedPassword = digest(credentials.authToken);
  return (req, res, next) => {
    const supplied = parseBasic(req.get('Authorization'));
    const userOk = timingSafeEqual(digest(supplied?.user ?? ''), expectedUser);
    const passwordOk = timingSafeEqual(digest(supplied?.password ?? ''), expectedPassword);
    if (supplied && userOk && passwordOk) return next();
    res.set('WWW-Authenticate', 'Basic realm="Twilio API"');
    sendError(res, unauthorized(supplied ? 'Authentication Error - invalid username' : 'Authentication Error - No credentials provided'));
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares through fixed-length digests in constant time, so neither length nor content leaks by timing. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The user and password of an HTTP Basic `Authorization` header; null when there is none or it is malformed. */
export function parseBasic(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

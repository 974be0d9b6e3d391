import { hash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { verifyTaskRouterToken } from '../access/taskrouter-token.js';
import { TokenScope } from '../access/token-scope.js';
import { forbidden, unauthorized } from '../core/errors.js';
import { sendError } from './errors.js';

/** An API key: its `SK…` sid and secret, usable as a Basic pair as with Twilio. */
export interface ApiKey {
  sid: string;
  secret: string;
}

/**
 * The HTTP Basic pairs the API accepts: the account SID with its auth token, as twilio-node sends them by default,
 * or any configured API key's sid with its secret (`twilio(keySid, keySecret, { accountSid })`). Several keys may be
 * configured at once so that one can be rotated out without downtime.
 */
export interface Credentials {
  accountSid: string;
  authToken: string;
  apiKeys?: readonly ApiKey[];
}

/** Builds the check of a Basic pair against `credentials`; digests of the expected halves are computed once. */
export function credentialCheck(credentials: Credentials): (user: string, password: string) => boolean {
  const pairs = pairsOf(credentials).map(({ user, password }) => ({ user: digest(user), password: digest(password) }));
  return (user, password) => {
    const givenUser = digest(user);
    const givenPassword = digest(password);
    // Every pair is compared, whichever matches, so the time taken does not tell which pair was tried.
    let matched = false;
    for (const pair of pairs) {
      const userOk = timingSafeEqual(givenUser, pair.user);
      const passwordOk = timingSafeEqual(givenPassword, pair.password);
      matched = (userOk && passwordOk) || matched;
    }
    return matched;
  };
}

/**
 * HTTP Basic authentication with the account pair or an API key pair. Both halves are compared through fixed-length
 * digests in constant time, so neither the length nor the content leaks by timing. The header as clients send it
 * (`Basic ` and the pair in base64, as twilio-node writes it) is first compared whole, by one digest against each
 * pair's: one hash a request instead of two plus decoding (docs/performance.md, "The REST path").
 */
export function basicAuth(credentials: Credentials): RequestHandler {
  const check = credentialCheck(credentials);
  const headers = pairsOf(credentials).map(({ user, password }) => digest(`Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`));
  const sentAsExpected = (header: string): boolean => {
    const given = digest(header);
    let matched = false;
    for (const expected of headers) matched = timingSafeEqual(given, expected) || matched;
    return matched;
  };
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (header !== undefined && sentAsExpected(header)) return next();
    const supplied = parseBasic(header);
    if (supplied && check(supplied.user, supplied.password)) return next();
    // Requests of Switchboard's own pages (only browsers send Sec-Fetch-Site) get no challenge: it would make the
    // browser ask for the pair in a dialog of its own, over the page's sign-in form.
    if (req.get('Sec-Fetch-Site') !== 'same-origin') res.set('WWW-Authenticate', 'Basic realm="Twilio API"');
    sendError(res, unauthorized(supplied ? 'Authentication Error - invalid username' : 'Authentication Error - No credentials provided'));
  };
}

/** Who is calling: the account (HTTP Basic with its pair or an API key), or the holder of a TaskRouter token. */
export type Caller = { kind: 'account' } | { kind: 'token'; scope: TokenScope };

/**
 * Authenticates a request by HTTP Basic (the account pair or an API key) or `Bearer` with a TaskRouter token, and
 * leaves who called in `res.locals.caller` (read with `callerOf`). Routes that serve pages signed in with a link
 * (an agent's worker token, a supervisor's admin token) mount behind this and check the token's scope themselves.
 */
export function callerAuth(credentials: Credentials, now: () => number = Date.now): RequestHandler {
  const basic = basicAuth(credentials);
  return (req, res, next) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('Authorization') ?? '');
    if (!bearer) {
      res.locals.caller = { kind: 'account' } satisfies Caller;
      return basic(req, res, next);
    }
    const claims = verifyTaskRouterToken(bearer[1]!, credentials.apiKeys ?? [], credentials.accountSid, now());
    res.locals.caller = { kind: 'token', scope: new TokenScope(claims) } satisfies Caller;
    next();
  };
}

/** Who called, as `callerAuth` found. */
export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

/**
 * Who may call TaskRouter's REST API: the account, for everything; an admin TaskRouter token, for its own
 * workspace's resources only (the wallboard and admin console opened with a sign-in link). A worker token is for
 * the worker SDK's bridge and the few routes an agent's page calls, not for this API: 403.
 */
export function apiAuth(credentials: Credentials, now: () => number = Date.now): RequestHandler {
  const authenticate = callerAuth(credentials, now);
  return (req, res, next) =>
    authenticate(req, res, (err?: unknown) => {
      if (err) return next(err);
      const caller = callerOf(res);
      if (caller.kind === 'token') {
        if (!caller.scope.isAdmin) return next(forbidden("A worker token is for the worker SDK's bridge, not the REST API"));
        const workspace = `/Workspaces/${caller.scope.claims.workspaceSid}`;
        if (req.path !== workspace && !req.path.startsWith(`${workspace}/`))
          return next(forbidden(`This token is for workspace ${caller.scope.claims.workspaceSid} only`));
      }
      next();
    });
}

/** Every Basic pair the credentials accept: the account's, then each API key's. */
function pairsOf(credentials: Credentials): Array<{ user: string; password: string }> {
  return [
    { user: credentials.accountSid, password: credentials.authToken },
    ...(credentials.apiKeys ?? []).map((key) => ({ user: key.sid, password: key.secret })),
  ];
}

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
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

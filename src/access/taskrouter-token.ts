import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import twilio from 'twilio';
import { badRequest, TwilioError } from '../core/errors.js';
import { isSid } from '../core/sid.js';

/** An API key (SK…) and its secret: tokens are signed with one, and verified with whichever their `iss` names. */
export interface SigningKey {
  sid: string;
  secret: string;
}

/** Who a TaskRouter token lets in: one workspace, and as a worker, one worker of it. */
export type TaskRouterRole = 'worker' | 'admin';

/** What a verified TaskRouter token grants. */
export interface TaskRouterGrantClaims {
  accountSid: string;
  identity: string;
  workspaceSid: string;
  /** The worker a `worker` token acts as; an `admin` token may name one too (the SDK's Supervisor does). */
  workerSid: string | null;
  role: TaskRouterRole;
  /** When the token stops being accepted, epoch milliseconds. */
  expiresAt: number;
}

/** The shape `twilio.jwt.AccessToken` gives a TaskRouterGrant inside `grants`. */
interface TaskRouterGrantPayload {
  workspace_sid?: unknown;
  worker_sid?: unknown;
  role?: unknown;
}

export const DEFAULT_TASKROUTER_TOKEN_TTL = 3600;
export const MAX_TASKROUTER_TOKEN_TTL = 86_400;
/** The algorithms `AccessToken.toJwt` can sign with; anything else (`none` above all) is refused. */
const ALGORITHMS: jwt.Algorithm[] = ['HS256', 'HS384', 'HS512'];

/** Twilio's errors for access tokens (https://www.twilio.com/docs/api/errors/20101 and on). */
const invalidToken = (message: string): TwilioError => new TwilioError(20101, 401, message);
const expiredToken = (): TwilioError => new TwilioError(20104, 401, 'Access Token expired or expiration date invalid');
const invalidIssuer = (message: string): TwilioError => new TwilioError(20103, 401, message);
const invalidGrants = (message: string): TwilioError => new TwilioError(20106, 401, message);
const invalidSignature = (): TwilioError => new TwilioError(20107, 401, 'Invalid Access Token signature');

/**
 * Mints a TaskRouter token as a deployment's backend would with twilio-node: an AccessToken with a TaskRouterGrant,
 * HS256-signed with `key`. The worker SDK only passes it back to us; it never reads it.
 */
export function mintTaskRouterToken(
  accountSid: string,
  key: SigningKey,
  grant: { identity: string; workspaceSid: string; workerSid: string | null; role: TaskRouterRole },
  ttl = DEFAULT_TASKROUTER_TOKEN_TTL,
): string {
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > MAX_TASKROUTER_TOKEN_TTL) throw badRequest(`Ttl must be between 60 and ${MAX_TASKROUTER_TOKEN_TTL} seconds`);
  const token = new twilio.jwt.AccessToken(accountSid, key.sid, key.secret, { identity: grant.identity, ttl });
  token.addGrant(
    new twilio.jwt.AccessToken.TaskRouterGrant({
      workspaceSid: grant.workspaceSid,
      ...(grant.workerSid ? { workerSid: grant.workerSid } : {}),
      role: grant.role,
    }),
  );
  return token.toJwt();
}

/**
 * Verifies a TaskRouter token: the key its `iss` names must be one of `keys` (several at once, so one can be rotated
 * out), the signature must be that key's, `sub` the account, `exp` in the future, and the grant must name a workspace,
 * a role we know, and for a worker its worker. Throws a 401 `TwilioError` with Twilio's access-token code otherwise.
 */
export function verifyTaskRouterToken(token: string, keys: readonly SigningKey[], accountSid: string, now: number): TaskRouterGrantClaims {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object') throw invalidToken('Invalid Access Token');
  const issuer = decoded.payload.iss;
  const key = keys.find((candidate) => candidate.sid === issuer);
  if (!key) throw invalidIssuer('Invalid Access Token issuer/subject');
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secretKeyOf(key), { algorithms: ALGORITHMS, clockTimestamp: Math.floor(now / 1000) }) as jwt.JwtPayload;
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw expiredToken();
    if (err instanceof jwt.NotBeforeError) throw new TwilioError(20105, 401, 'Access Token not yet valid');
    if (err instanceof jwt.JsonWebTokenError && err.message === 'invalid signature') throw invalidSignature();
    throw invalidToken('Invalid Access Token');
  }
  if (payload.sub !== accountSid) throw invalidIssuer('Invalid Access Token issuer/subject');
  // A token without an expiry would be good forever: Twilio's never are.
  if (typeof payload.exp !== 'number') throw expiredToken();
  return { accountSid, expiresAt: payload.exp * 1000, ...grantOf(payload) };
}

/**
 * A key's secret as the KeyObject jsonwebtoken verifies with. Given the secret as a string, jsonwebtoken first tries
 * to read it as a PEM public key, and Node's throwing on that was a fifth of the event bridge's time while ten
 * thousand agents bootstrapped (docs/performance-push.md); made once per key instead.
 */
const secretKeys = new WeakMap<SigningKey, KeyObject>();
function secretKeyOf(key: SigningKey): KeyObject {
  let secret = secretKeys.get(key);
  if (!secret) secretKeys.set(key, (secret = createSecretKey(Buffer.from(key.secret, 'utf8'))));
  return secret;
}

function grantOf(payload: jwt.JwtPayload): Omit<TaskRouterGrantClaims, 'accountSid' | 'expiresAt'> {
  const grants: unknown = payload.grants;
  if (!grants || typeof grants !== 'object') throw invalidGrants('Invalid Access Token grants');
  const { identity, task_router: grant } = grants as { identity?: unknown; task_router?: TaskRouterGrantPayload };
  if (!grant || typeof grant !== 'object') throw invalidGrants('The Access Token has no TaskRouter grant');
  const { workspace_sid: workspaceSid, worker_sid: workerSid, role } = grant;
  if (!isSid(workspaceSid, 'WS')) throw invalidGrants('The TaskRouter grant names no workspace');
  if (role !== 'worker' && role !== 'admin') throw invalidGrants("The TaskRouter grant's role must be worker or admin");
  const worker = isSid(workerSid, 'WK') ? workerSid : null;
  if (role === 'worker' && !worker) throw invalidGrants('A worker TaskRouter grant must name its worker');
  return { identity: typeof identity === 'string' ? identity : '', workspaceSid, workerSid: worker, role };
}

import { Router } from 'express';
import jwt from 'jsonwebtoken';
import { MAX_TASKROUTER_TOKEN_TTL, mintTaskRouterToken } from '../../access/taskrouter-token.js';
import { badRequest, notFound } from '../../core/errors.js';
import { callerOf } from '../auth.js';
import { pathParam, type ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';
import { tokensNotConfigured, type TokenMinting } from './tokens.js';

/** The shortest token the Tokens API mints; a renewal of a shorter-lived token gets this much. */
const MIN_TTL = 60;

/**
 * `POST /v1/Workspaces/{WS}/Tokens/Renew` (Bearer: a still-valid TaskRouter token of that workspace) — a fresh token
 * with the same grant (identity, worker, role), for pages signed in with a link, which cannot call the Tokens API
 * with a worker token. `Ttl` defaults to the presented token's own lifetime. A worker token whose worker has been
 * deleted is not renewed (404), so deleting a worker ends its sign-in once its token runs out.
 */
export function tokenRenewalRouter(api: ApiContext, minting: TokenMinting): Router {
  const router = Router({ mergeParams: true });
  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const caller = callerOf(res);
    if (caller.kind !== 'token')
      throw badRequest('Renewal needs the TaskRouter token to renew (Authorization: Bearer); the account mints tokens with POST /Tokens');
    caller.scope.workspace(ws);
    if (!minting.signingKey) throw tokensNotConfigured();
    const { identity, workerSid, role } = caller.scope.claims;
    const ttl = TwilioParams.of(req.body).int('Ttl') ?? lifetimeOf(req.get('Authorization') ?? '');
    await api.engine.workspaceConfig(ws);
    if (workerSid !== null && !(await api.engine.store.get(ws, 'worker', workerSid))) {
      throw notFound(`The requested resource /Workspaces/${ws}/Workers/${workerSid} was not found`);
    }
    const token = mintTaskRouterToken(minting.accountSid, minting.signingKey, { identity, workspaceSid: ws, workerSid, role }, ttl);
    res.status(201).json({ identity, token, ttl, role, workspace_sid: ws, worker_sid: workerSid });
  });
  return router;
}

/** The presented token's lifetime (`exp − iat`, already verified by `callerAuth`), within what the Tokens API mints. */
function lifetimeOf(authorization: string): number {
  const payload = jwt.decode(authorization.replace(/^Bearer\s+/i, '').trim());
  const lifetime = payload && typeof payload === 'object' && payload.exp && payload.iat ? payload.exp - payload.iat : MIN_TTL;
  return Math.min(MAX_TASKROUTER_TOKEN_TTL, Math.max(MIN_TTL, Math.round(lifetime)));
}

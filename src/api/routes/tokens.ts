import { Router } from 'express';
import { DEFAULT_TASKROUTER_TOKEN_TTL, mintTaskRouterToken, type SigningKey, type TaskRouterRole } from '../../access/taskrouter-token.js';
import { badRequest, notFound, TwilioError } from '../../core/errors.js';
import { isSid } from '../../core/sid.js';
import { pathParam, type ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';

/** What TaskRouter tokens are minted with: the account, and the API key that signs them (the first configured). */
export interface TokenMinting {
  accountSid: string;
  signingKey: SigningKey | null;
}

/** 501: no API key is configured to sign tokens with. */
export function tokensNotConfigured(): TwilioError {
  return new TwilioError(20001, 501, 'TaskRouter tokens are not configured on this server: set TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET');
}

const IDENTITY = /^[A-Za-z0-9_.@-]{1,121}$/;

/**
 * `POST /v1/Workspaces/{WS}/Tokens` — a TaskRouter token for the worker SDK, for a deployment's backend that would
 * rather not sign them itself: `WorkerSid` for a worker's token (role `worker`), or `Role=admin` (with an optional
 * `WorkerSid`) for the SDK's Supervisor and Workspace. `Identity` defaults to the worker sid; `Ttl` in seconds.
 * Not part of Twilio's API: there, backends sign them with twilio-node's AccessToken, which works here too.
 */
export function tokensRouter(api: ApiContext, minting: TokenMinting): Router {
  const router = Router({ mergeParams: true });
  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const workerSid = body.string('WorkerSid');
    const role = (body.string('Role') ?? (workerSid ? 'worker' : undefined)) as TaskRouterRole | undefined;
    if (role !== 'worker' && role !== 'admin')
      throw badRequest(role === undefined ? 'WorkerSid or Role=admin is required' : `Role must be worker or admin, got '${role}'`);
    if (role === 'worker' && !workerSid) throw badRequest('WorkerSid is required for a worker token');
    const ttl = body.int('Ttl') ?? DEFAULT_TASKROUTER_TOKEN_TTL;
    const identity = body.string('Identity') ?? workerSid ?? 'admin';
    if (!IDENTITY.test(identity)) throw badRequest(`Identity must be 1 to 121 letters, digits or _.@- characters, got '${identity}'`);
    if (!minting.signingKey) throw tokensNotConfigured();
    await api.engine.workspaceConfig(ws);
    if (workerSid !== undefined && (!isSid(workerSid, 'WK') || !(await api.engine.store.get(ws, 'worker', workerSid)))) {
      throw notFound(`The requested resource /Workspaces/${ws}/Workers/${workerSid} was not found`);
    }
    const token = mintTaskRouterToken(minting.accountSid, minting.signingKey, { identity, workspaceSid: ws, workerSid: workerSid ?? null, role }, ttl);
    res.status(201).json({ identity, token, ttl, role, workspace_sid: ws, worker_sid: workerSid ?? null });
  });
  return router;
}

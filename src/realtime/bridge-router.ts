import cors from 'cors';
import express, { Router } from 'express';
import { verifyTaskRouterToken, type SigningKey } from '../access/taskrouter-token.js';
import { TokenScope } from '../access/token-scope.js';
import type { ApiContext } from '../api/context.js';
import { ifMatch } from '../api/wire/etag.js';
import { notFound } from '../core/errors.js';
import type { ConferenceControls } from '../engine/telephony-port.js';
import { bridgeOperation } from './bridge-operations.js';
import { readBridgeRequest } from './bridge-request.js';

/** Who may sign the tokens the bridge accepts, and for which account. */
export interface BridgeAccess {
  accountSid: string;
  keys: readonly SigningKey[];
}

/** What the requests tell the sockets: a worker's bootstrap was answered (see WorkerBridge.bootstrapped). */
export interface BridgeSockets {
  bootstrapped(workspaceSid: string, workerSid: string): void;
}

/** The SDK's envelopes are small; an attribute set is at most 4 KiB. */
const BODY_LIMIT = '256kb';

/**
 * `POST /v1/wschannels` — the worker SDK's requests (see bridge-request.ts), authenticated by the token each one
 * carries and answered `{payload}`, or with Twilio's error body, whose `message` the SDK reads. Browsers pre-flight
 * it for the SDK's `apiVersion`, `clientVersion` and `If-Match` headers, from whatever origin an agent's
 * application is served. `conferences` carries out the calls on a task's conference; without it they are refused.
 */
export function bridgeRouter(api: ApiContext, access: BridgeAccess, sockets?: BridgeSockets, conferences?: ConferenceControls): Router {
  const router = Router();
  router.use(cors({ origin: true, methods: ['POST'], allowedHeaders: ['apiVersion', 'clientVersion', 'If-Match', 'Content-Type'], maxAge: 600 }));
  router.post('/', express.text({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const request = readBridgeRequest(typeof req.body === 'string' ? req.body : '');
    const claims = verifyTaskRouterToken(request.token, access.keys, access.accountSid, api.engine.clock.now());
    const operation = bridgeOperation(request);
    if (!operation) throw notFound(`The worker SDK has no ${request.method} ${request.path.join('/')}`);
    const bootstrapped = (ws: string, wk: string): void => sockets?.bootstrapped(ws, wk);
    const payload = await operation.run({
      api,
      scope: new TokenScope(claims),
      request,
      ifMatch: ifMatch(req),
      at: operation.at,
      bootstrapped,
      conferences: conferences ?? null,
    });
    res.status(200).json({ payload });
  });
  return router;
}

import { Router } from 'express';
import type { CallFlowDeps } from '../src/connector/voice/call-flow-deps.js';
import { leftQueue, onHold, readCallerInLine } from '../src/connector/voice/caller-in-line.js';
import { queryParam, voiceWebhook, webhookParams } from './respond.js';

/**
 * A caller waiting in their queue (caller-in-line.ts). `POST /voice/hold` — the `<Enqueue>` waitUrl, a round of hold.
 * `POST /voice/queue-result` — the `<Enqueue>` action: the caller is out of their queue.
 */
export function voiceHoldRouter(deps: CallFlowDeps): Router {
  const router = Router();
  router.post(
    '/voice/hold',
    voiceWebhook((req) => onHold(deps, readCallerInLine(req.query), Number(queryParam(req, 'announced')), webhookParams(req))),
  );
  router.post(
    '/voice/queue-result',
    voiceWebhook((req) => leftQueue(deps, readCallerInLine(req.query), webhookParams(req))),
  );
  return router;
}

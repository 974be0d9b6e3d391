import { Router } from 'express';
import type { CallFlowDeps } from '../src/connector/voice/call-flow-deps.js';
import { callArrived, menuAnswered } from '../src/connector/voice/caller.js';
import { readIvrProgress } from '../src/connector/voice/ivr-progress.js';
import { voiceWebhook, webhookParams } from './respond.js';

/** A caller's way in (caller.ts). `POST /voice` — an inbound call. `POST /voice/menu` — an IVR menu's answer. */
export function voiceInboundRouter(deps: CallFlowDeps): Router {
  const router = Router();
  router.post(
    '/voice',
    voiceWebhook((req) => callArrived(deps, webhookParams(req))),
  );
  router.post(
    '/voice/menu',
    voiceWebhook((req) => menuAnswered(deps, readIvrProgress(req.query), webhookParams(req))),
  );
  return router;
}

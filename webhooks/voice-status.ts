import { Router } from 'express';
import type { CallFlowDeps } from '../src/connector/voice/call-flow-deps.js';
import { callEnded } from '../src/connector/voice/caller-in-line.js';
import { statusWebhook, webhookParams } from './respond.js';

/** `POST /voice/status` — the caller's own status callback, set on the number at Twilio (caller-in-line.ts). */
export function voiceStatusRouter(deps: CallFlowDeps): Router {
  const router = Router();
  router.post(
    '/voice/status',
    statusWebhook((req) => callEnded(deps, webhookParams(req))),
  );
  return router;
}

import { Router } from 'express';
import type { CallFlowDeps } from '../src/connector/voice/call-flow-deps.js';
import { voicemailLeft } from '../src/connector/voice/caller.js';
import { readCallerInLine } from '../src/connector/voice/caller-in-line.js';
import { voiceWebhook, webhookParams } from './respond.js';

/** `POST /voice/voicemail` — the `<Record>` action of the voicemail fallback (caller.ts). */
export function voiceVoicemailRouter(deps: CallFlowDeps): Router {
  const router = Router();
  router.post(
    '/voice/voicemail',
    voiceWebhook((req) => voicemailLeft(deps, readCallerInLine(req.query), webhookParams(req))),
  );
  return router;
}

import { Router } from 'express';
import { browserAgentConnects, browserAgentStreamEnded } from '../src/connector/voice/browser-agent.js';
import { readBrowserAgentLeg } from '../src/connector/voice/browser-agent-leg.js';
import type { CallFlowDeps } from '../src/connector/voice/call-flow-deps.js';
import { voiceWebhook, webhookParams } from './respond.js';

/**
 * Calls bridged to browser agents (browser-agent.ts). `POST /voice/browser-agent` — the call connects to the media
 * relay. `POST /voice/browser-agent-end` — the `<Connect action>` of a dequeued caller, fetched when the stream ends
 * with the caller still there.
 */
export function voiceBrowserAgentRouter(deps: CallFlowDeps): Router {
  const router = Router();
  router.post(
    '/voice/browser-agent',
    voiceWebhook((req) => browserAgentConnects(deps, readBrowserAgentLeg(req.query), webhookParams(req).CallSid)),
  );
  router.post(
    '/voice/browser-agent-end',
    voiceWebhook((req) => browserAgentStreamEnded(deps, readBrowserAgentLeg(req.query))),
  );
  return router;
}

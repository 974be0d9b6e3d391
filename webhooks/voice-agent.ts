import { Router } from 'express';
import { readAgentLeg } from '../src/connector/voice/agent-leg.js';
import { callerJoinsConference } from '../src/connector/voice/conference-agent.js';
import { agentAnswered, agentLegStatus, bridgeEnded } from '../src/connector/voice/phone-agent.js';
import type { CallFlowDeps } from '../src/connector/voice/call-flow-deps.js';
import { queryParam, statusWebhook, voiceWebhook, webhookParams } from './respond.js';

/**
 * The agent's leg of `dequeue` and `conference` instructions (phone-agent.ts, conference-agent.ts).
 * `POST /voice/agent` — the agent answered. `POST /voice/agent-status` — the leg's status callbacks.
 * `POST /voice/agent-dial` — the bridge ended. `POST /voice/conference-caller` — the caller's way into the conference.
 */
export function voiceAgentRouter(deps: CallFlowDeps): Router {
  const router = Router();
  router.post(
    '/voice/agent',
    voiceWebhook((req) => agentAnswered(deps, readAgentLeg(req.query), webhookParams(req).CallSid ?? '')),
  );
  router.post(
    '/voice/agent-status',
    statusWebhook(async (req) => {
      const params = webhookParams(req);
      await agentLegStatus(deps, readAgentLeg(req.query), params.CallSid, params.CallStatus ?? '');
    }),
  );
  router.post(
    '/voice/agent-dial',
    voiceWebhook(() => bridgeEnded()),
  );
  router.post(
    '/voice/conference-caller',
    voiceWebhook((req) => callerJoinsConference(queryParam(req, 'task'), queryParam(req, 'conference'))),
  );
  return router;
}

import { Router } from 'express';
import { acceptOnAnswer, agentLegEnded } from '../src/connector/agent-answer.js';
import { agentLegQuery, readAgentLeg, type AgentLeg } from '../src/connector/agent-leg.js';
import { forgetAgentLeg } from '../src/connector/agent-legs.js';
import { speechStyle } from '../src/connector/caller-queueing.js';
import { decodeState, voiceWebhookUrl } from '../src/connector/webhook-urls.js';
import { isSid } from '../src/core/sid.js';
import { callOfTask } from '../src/telephony/agent-address.js';
import { moveCallerToConference } from '../src/telephony/conference.js';
import { agentBridgeTwiml, agentMissedTwiml } from '../twiml/agent-bridge.js';
import { conferenceTwiml, type ConferenceAttributes } from '../twiml/conference.js';
import { goodbyeTwiml } from '../twiml/goodbye.js';
import type { VoiceWebhookDeps } from './deps.js';
import { queryParam, statusWebhook, twimlWebhook, webhookParams } from './respond.js';

/** Final statuses of a call: the leg is over. */
const FINAL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/**
 * The agent's leg of `dequeue` and `conference` instructions. `POST /voice/agent` — the agent answered: the
 * reservation is accepted and the leg dials the task's queue (dequeue) or joins the task's conference after the
 * caller is moved into it. `POST /voice/agent-status` — the leg's status callbacks: unanswered legs reject the
 * reservation, ended ones wrap the task up. `POST /voice/agent-dial` — the bridge ended: hang the agent's leg up.
 * `POST /voice/conference-caller` — the caller's way into the conference.
 */
export function voiceAgentRouter(deps: VoiceWebhookDeps): Router {
  const router = Router();

  router.post(
    '/voice/agent',
    twimlWebhook(async (req) => {
      const leg = readAgentLeg(req.query);
      const agentCallSid = webhookParams(req).CallSid ?? '';
      if (!leg || !(await acceptOnAnswer(deps.engine, leg, agentCallSid))) return agentMissedTwiml();
      if (leg.mode === 'dequeue') return agentBridgeTwiml(leg.taskSid, voiceWebhookUrl(deps.publicUrl(), 'agent-dial', agentLegQuery(leg)));
      return (await joinConference(deps, leg)) ? conferenceTwiml(leg.taskSid, leg.conference?.agent ?? {}) : agentMissedTwiml();
    }),
  );

  router.post(
    '/voice/agent-status',
    statusWebhook(async (req) => {
      const leg = readAgentLeg(req.query);
      const params = webhookParams(req);
      const status = params.CallStatus ?? '';
      if (!leg || !FINAL_STATUSES.has(status)) return;
      // Over: nothing left to cancel when the reservation ends (the rejection below included).
      if (params.CallSid) await forgetAgentLeg(deps.state, leg.reservationSid, params.CallSid);
      await agentLegEnded(deps.engine, leg, status);
    }),
  );

  router.post(
    '/voice/agent-dial',
    twimlWebhook(async () => goodbyeTwiml(speechStyle(null), null)),
  );

  router.post(
    '/voice/conference-caller',
    twimlWebhook(async (req) => {
      const taskSid = queryParam(req, 'task');
      // Only our own URLs get here signed, and they name a task; anything else has no conference to join.
      if (!isSid(taskSid, 'WT')) return goodbyeTwiml(speechStyle(null), null);
      return conferenceTwiml(taskSid, decodeState<ConferenceAttributes>(queryParam(req, 'conference'), {}));
    }),
  );

  return router;
}

/**
 * Moves the waiting caller into the task's conference; false when that cannot be done (the caller hung up, Twilio
 * refused). The reservation is accepted by then: the agent's leg ends at once and its status callback wraps up.
 */
async function joinConference(deps: VoiceWebhookDeps, leg: AgentLeg): Promise<boolean> {
  const task = await deps.engine.store.get(leg.workspaceSid, 'task', leg.taskSid);
  if (!task || !deps.telephony) return false;
  try {
    await moveCallerToConference(deps.telephony, leg, callOfTask(task).callSid);
    return true;
  } catch (err) {
    console.error(`could not move the caller of task ${leg.taskSid} into its conference`, err);
    return false;
  }
}

import { Router } from 'express';
import { browserAgentQuery, readBrowserAgentLeg } from '../src/connector/voice/browser-agent-leg.js';
import { enqueueCallerTwiml, speechStyle } from '../src/connector/voice/caller.js';
import { bindingParameters } from '../src/connector/media/stream-binding.js';
import { wrapAfterCall } from '../src/connector/task-lifecycle.js';
import { voiceWebhookUrl } from '../src/connector/webhook-urls.js';
import { attributesOf } from '../src/connector/voice/agent-address.js';
import { browserAgentTwiml } from '../twiml/browser-agent.js';
import { goodbyeTwiml } from '../twiml/goodbye.js';
import type { VoiceWebhookDeps } from './deps.js';
import { twimlWebhook, webhookParams } from './respond.js';

const GONE = new Set(['completed', 'canceled']);
const WAITING = new Set(['pending', 'reserved']);

/**
 * Calls bridged to browser agents (`stream:<identity>`). `POST /voice/browser-agent` — the call (a caller taken from
 * their queue, or a customer called back) is connected to us over a bidirectional `<Connect><Stream>` whose
 * parameters bind it to the task, reservation and agent (the media relay takes it from there).
 * `POST /voice/browser-agent-end` — the `<Connect action>` of a dequeued caller, fetched when the stream ends with
 * the caller still there: put back in line when the agent never took the call, else hung up.
 */
export function voiceBrowserAgentRouter(deps: VoiceWebhookDeps): Router {
  const router = Router();
  const { engine } = deps;

  router.post(
    '/voice/browser-agent',
    twimlWebhook(async (req) => {
      const leg = readBrowserAgentLeg(req.query);
      const callSid = webhookParams(req).CallSid;
      const task = leg ? await engine.store.get(leg.workspaceSid, 'task', leg.taskSid) : null;
      if (!leg || !callSid || !task || GONE.has(task.assignmentStatus)) return goodbyeTwiml(speechStyle(null), null);
      const binding = {
        purpose: 'agent' as const,
        workspaceSid: leg.workspaceSid,
        taskSid: leg.taskSid,
        reservationSid: leg.reservationSid,
        identity: leg.identity,
        postWorkActivitySid: leg.postWorkActivitySid ?? null,
      };
      return browserAgentTwiml({
        streamUrl: deps.mediaStreamUrl(),
        parameters: bindingParameters(binding, callSid, deps.authToken),
        actionUrl: leg.mode === 'dequeue' ? voiceWebhookUrl(deps.publicUrl(), 'browser-agent-end', browserAgentQuery(leg)) : leg.afterUrl,
      });
    }),
  );

  router.post(
    '/voice/browser-agent-end',
    twimlWebhook(async (req) => {
      const leg = readBrowserAgentLeg(req.query);
      const task = leg ? await engine.store.get(leg.workspaceSid, 'task', leg.taskSid) : null;
      if (!leg || !task) return goodbyeTwiml(speechStyle(null), null);
      const dialed = attributesOf(task).to;
      const number = typeof dialed === 'string' ? await deps.directory.findPhoneNumber(dialed) : null;
      if (WAITING.has(task.assignmentStatus)) {
        // The agent never took the call (not connected, reservation rejected): the caller waits for the next one,
        // keeping their place (the task's) and hearing the next announcement in due course rather than at once.
        return enqueueCallerTwiml(deps.publicUrl(), leg.workspaceSid, task.sid, number?.sid, engine.clock.now());
      }
      // The relay wraps the task when the bridge ends; this covers a relay that could not.
      await wrapAfterCall(engine, leg.workspaceSid, task.sid, leg.reservationSid);
      return goodbyeTwiml(speechStyle(number), null);
    }),
  );

  return router;
}

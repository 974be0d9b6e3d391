import { Router } from 'express';
import { forgetCall, taskOfCall } from '../src/connector/call-index.js';
import { queueOfCaller } from '../src/connector/call-queue.js';
import { cancelForCaller } from '../src/connector/task-lifecycle.js';
import { removeCallerQueue } from '../src/telephony/queued-caller.js';
import type { VoiceWebhookDeps } from './deps.js';
import { statusWebhook, webhookParams } from './respond.js';

const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/**
 * `POST /voice/status` — the caller's own status callback (set on the number at Twilio, with the `completed`
 * event): a caller whose call ends while their task still waits has hung up, and the task is canceled. A backstop
 * for the `<Enqueue>` action, which says the same when Twilio reaches it (and deletes the caller's queue).
 */
export function voiceStatusRouter(deps: VoiceWebhookDeps): Router {
  const router = Router();
  router.post(
    '/voice/status',
    statusWebhook(async (req) => {
      const params = webhookParams(req);
      if (!params.CallSid || !ENDED.has(params.CallStatus ?? '')) return;
      // A queue the `<Enqueue>` action did not get to delete.
      const { telephony } = deps;
      const queueSid = telephony ? await queueOfCaller(deps.state, params.CallSid) : null;
      if (telephony && queueSid) await removeCallerQueue(telephony, params.CallSid, queueSid);
      const call = await taskOfCall(deps.state, params.CallSid);
      if (!call) return;
      // A caller given the fallback leaves a task for a callback: only one waiting in line has hung up on it.
      if (call.answer === 'queue')
        await cancelForCaller(deps.engine, call.workspaceSid, call.taskSid, `hangup: the caller's call ended (${params.CallStatus}) while waiting`);
      await forgetCall(deps.state, params.CallSid);
    }),
  );
  return router;
}

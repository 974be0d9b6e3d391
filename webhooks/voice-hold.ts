import { Router } from 'express';
import { forgetCall } from '../src/connector/call-index.js';
import { isQueueSid, keepCallerQueue } from '../src/connector/call-queue.js';
import { speechStyle } from '../src/connector/caller-queueing.js';
import { cancelForCaller, wrapAfterCall } from '../src/connector/task-lifecycle.js';
import { voiceWebhookUrl } from '../src/connector/webhook-urls.js';
import { TwilioError } from '../src/core/errors.js';
import type { QueuePosition } from '../src/engine/queue-position.js';
import { removeCallerQueue } from '../src/telephony/queued-caller.js';
import { emptyTwiml, goodbyeTwiml } from '../twiml/goodbye.js';
import { holdAnnouncement, holdTwiml } from '../twiml/hold.js';
import type { VoiceWebhookDeps } from './deps.js';
import { queryParam, twimlWebhook, webhookParams } from './respond.js';

const NO_ONE_AVAILABLE = 'We are sorry, no one is available to take your call right now. Goodbye.';
const QUEUE_FAILED = 'We are sorry, we could not keep you in line. Please call again later. Goodbye.';
/** Queue results after which the call carries on elsewhere (a conference, another TwiML document). */
const MOVED_ON = new Set(['redirected', 'redirected-from-bridged', 'bridging-in-process']);

/**
 * `POST /voice/hold` — the `<Enqueue>` waitUrl: where the caller stands and how long they may still wait, from the
 * routing engine, every `announce_every_seconds`, between hold music; the queue Twilio names is kept for moving the
 * caller later. A task that ended while the caller waited
 * (its TTL ran out, its workflow timed out) is told and hung up. `POST /voice/queue-result` — the `<Enqueue>`
 * action: the caller is out of their queue, which is deleted; a caller who hung up on hold cancels their waiting task;
 * a bridged call that ended moves it to wrap-up.
 */
export function voiceHoldRouter(deps: VoiceWebhookDeps): Router {
  const router = Router();
  const { engine } = deps;

  router.post(
    '/voice/hold',
    twimlWebhook(async (req) => {
      const params = webhookParams(req);
      const ws = queryParam(req, 'ws') ?? '';
      const taskSid = queryParam(req, 'task') ?? '';
      const numberSid = queryParam(req, 'number') ?? '';
      if (params.CallSid && isQueueSid(params.QueueSid)) await keepQueue(deps, params.CallSid, params.QueueSid);
      const number = await deps.directory.phoneNumberBySid(numberSid);
      const style = speechStyle(number);
      const place = await whereInLine(deps, ws, taskSid);
      if (!place || place.assignmentStatus === 'canceled' || place.assignmentStatus === 'completed') {
        return goodbyeTwiml(style, number?.fallbackMessage ?? NO_ONE_AVAILABLE);
      }
      const every = number?.announceEverySeconds ?? 30;
      const now = engine.clock.now();
      const last = Number(queryParam(req, 'announced'));
      const due = !Number.isFinite(last) || last <= 0 || now - last >= every * 1000;
      const announcement = due
        ? holdAnnouncement(place.position, place.estimatedWaitSeconds, { position: number?.announcePosition ?? true, wait: number?.announceWait ?? true })
        : null;
      const nextUrl = voiceWebhookUrl(deps.publicUrl(), 'hold', { ws, task: taskSid, number: numberSid, announced: due ? now : last });
      return holdTwiml({ style, announcement, musicUrl: number?.holdMusicUrl ?? null, everySeconds: every, nextUrl });
    }),
  );

  router.post(
    '/voice/queue-result',
    twimlWebhook(async (req) => {
      const params = webhookParams(req);
      const ws = queryParam(req, 'ws') ?? '';
      const taskSid = queryParam(req, 'task') ?? '';
      const number = await deps.directory.phoneNumberBySid(queryParam(req, 'number') ?? '');
      const result = params.QueueResult ?? '';
      // Whatever happened, the caller is out of their queue now: it goes.
      if (deps.telephony && params.CallSid && isQueueSid(params.QueueSid)) await removeCallerQueue(deps.telephony, params.CallSid, params.QueueSid);
      if (MOVED_ON.has(result)) return emptyTwiml();
      if (params.CallSid) await forgetCall(deps.state, params.CallSid);
      if (result === 'bridged') {
        await wrapAfterCall(engine, ws, taskSid);
        return goodbyeTwiml(speechStyle(number), null);
      }
      if (result === 'hangup') {
        await cancelForCaller(engine, ws, taskSid, 'hangup: the caller hung up while waiting in the queue');
        return emptyTwiml();
      }
      await cancelForCaller(engine, ws, taskSid, `the caller left the queue (${result || 'no result'})`);
      return goodbyeTwiml(speechStyle(number), QUEUE_FAILED);
    }),
  );

  return router;
}

/** Keeps the caller's queue for moving them later; a failure to is logged, the caller keeps listening to the music. */
async function keepQueue(deps: VoiceWebhookDeps, callSid: string, queueSid: string): Promise<void> {
  try {
    await keepCallerQueue(deps.state, callSid, queueSid);
  } catch (err) {
    console.error(`could not keep queue ${queueSid} of call ${callSid}`, err);
  }
}

/** The task's place in line; null when the task no longer exists. */
async function whereInLine(deps: VoiceWebhookDeps, ws: string, taskSid: string): Promise<QueuePosition | null> {
  try {
    return await deps.engine.queuePosition(ws, taskSid);
  } catch (err) {
    if (err instanceof TwilioError && err.status === 404) return null;
    throw err;
  }
}

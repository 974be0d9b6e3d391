import { TwilioError } from '../../core/errors.js';
import type { QueuePosition } from '../../engine/queue-position.js';
import { forgetCall, taskOfCall } from '../call-index.js';
import { isQueueSid, keepCallerQueue, queueOfCaller } from '../call-queue.js';
import { cancelForCaller, wrapAfterCall } from '../task-lifecycle.js';
import { stateOf, voiceWebhookUrl } from '../webhook-urls.js';
import type { CallFlowDeps } from './call-flow-deps.js';
import { hangUp, speechStyle, type VoiceOutcome } from './outcomes.js';
import { removeCallerQueue } from './queued-caller.js';
import { log } from '../../telemetry/log.js';

/*
 * A caller waiting in their queue (caller.ts put them there), as a story:
 * 1. `onHold` — every round of hold music they hear where they stand and how long they may still wait, and the
 *    queue Twilio names is kept for moving them later (to an agent, a conference, a browser agent);
 * 2. `leftQueue` — they are out of their queue, which is deleted: bridged and done (wrap-up), hung up (their waiting
 *    task is canceled), or moved on elsewhere;
 * 3. `callEnded` — the number's own status callback, a backstop for a hang-up the queue's action never reported.
 */

const NO_ONE_AVAILABLE = 'We are sorry, no one is available to take your call right now. Goodbye.';
const QUEUE_FAILED = 'We are sorry, we could not keep you in line. Please call again later. Goodbye.';
/** Queue results after which the call carries on elsewhere (a conference, another TwiML document). */
const MOVED_ON = new Set(['redirected', 'redirected-from-bridged', 'bridging-in-process']);
const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** A caller's call as the hold, queue-result and voicemail URLs carry it. */
export interface CallerInLine {
  ws: string;
  taskSid: string;
  numberSid: string;
}

/** The call a hold, queue-result or voicemail URL's query names (empty where it names nothing). */
export function readCallerInLine(query: Record<string, unknown>): CallerInLine {
  const { ws, task, number } = stateOf(query);
  return { ws: ws ?? '', taskSid: task ?? '', numberSid: number ?? '' };
}

/**
 * A round of hold (the `<Enqueue>` waitUrl): where the caller stands and how long they may still wait, from the
 * routing engine, every `announce_every_seconds` (`announced`: when they were last told), between hold music. A
 * task that ended while the caller waited (its TTL ran out, its workflow timed out) is told and hung up.
 */
export async function onHold(deps: CallFlowDeps, call: CallerInLine, announced: number, params: Record<string, string | undefined>): Promise<VoiceOutcome> {
  const { engine } = deps;
  if (params.CallSid && isQueueSid(params.QueueSid)) await keepQueue(deps, params.CallSid, params.QueueSid);
  const number = await deps.directory.phoneNumberBySid(call.numberSid);
  const style = speechStyle(number);
  const place = await whereInLine(deps, call.ws, call.taskSid);
  if (!place || place.assignmentStatus === 'canceled' || place.assignmentStatus === 'completed') {
    return hangUp(number, number?.fallbackMessage ?? NO_ONE_AVAILABLE);
  }
  const every = number?.announceEverySeconds ?? 30;
  const now = engine.clock.now();
  const due = !Number.isFinite(announced) || announced <= 0 || now - announced >= every * 1000;
  const told = due
    ? {
        position: place.position,
        estimatedWaitSeconds: place.estimatedWaitSeconds,
        sayPosition: number?.announcePosition ?? true,
        sayWait: number?.announceWait ?? true,
      }
    : null;
  const nextUrl = voiceWebhookUrl(deps.publicUrl(), 'hold', { ws: call.ws, task: call.taskSid, number: call.numberSid, announced: due ? now : announced });
  return { kind: 'hold', style, place: told, musicUrl: number?.holdMusicUrl ?? null, everySeconds: every, nextUrl };
}

/**
 * The caller is out of their queue (the `<Enqueue>` action), which is deleted whatever happened. A caller moved on
 * elsewhere carries on; a bridged call that ended moves the task to wrap-up; a caller who hung up on hold cancels
 * their waiting task; any other way out cancels it too, with an apology.
 */
export async function leftQueue(deps: CallFlowDeps, call: CallerInLine, params: Record<string, string | undefined>): Promise<VoiceOutcome> {
  const { engine } = deps;
  const { ws, taskSid } = call;
  const number = await deps.directory.phoneNumberBySid(call.numberSid);
  const result = params.QueueResult ?? '';
  if (deps.telephony && params.CallSid && isQueueSid(params.QueueSid)) await removeCallerQueue(deps.telephony, params.CallSid, params.QueueSid);
  if (MOVED_ON.has(result)) return { kind: 'carry-on' };
  if (params.CallSid) await forgetCall(deps.state, params.CallSid);
  if (result === 'bridged') {
    await wrapAfterCall(engine, ws, taskSid);
    return hangUp(number);
  }
  if (result === 'hangup') {
    await cancelForCaller(engine, ws, taskSid, 'hangup: the caller hung up while waiting in the queue');
    return { kind: 'carry-on' };
  }
  await cancelForCaller(engine, ws, taskSid, `the caller left the queue (${result || 'no result'})`);
  return hangUp(number, QUEUE_FAILED);
}

/**
 * The caller's own status callback (set on the number at Twilio, with the `completed` event): a caller whose call
 * ends while their task still waits has hung up, and the task is canceled; a queue the `<Enqueue>` action did not
 * get to delete goes.
 */
export async function callEnded(deps: CallFlowDeps, params: Record<string, string | undefined>): Promise<void> {
  const { telephony, engine } = deps;
  if (!params.CallSid || !ENDED.has(params.CallStatus ?? '')) return;
  const queueSid = telephony ? await queueOfCaller(deps.state, params.CallSid) : null;
  if (telephony && queueSid) await removeCallerQueue(telephony, params.CallSid, queueSid);
  const call = await taskOfCall(deps.state, params.CallSid);
  if (!call) return;
  // A caller given the fallback leaves a task for a callback: only one waiting in line has hung up on it.
  if (call.answer === 'queue')
    await cancelForCaller(engine, call.workspaceSid, call.taskSid, `hangup: the caller's call ended (${params.CallStatus}) while waiting`);
  await forgetCall(deps.state, params.CallSid);
}

/** Keeps the caller's queue for moving them later; a failure to is logged, the caller keeps listening to the music. */
async function keepQueue(deps: CallFlowDeps, callSid: string, queueSid: string): Promise<void> {
  try {
    await keepCallerQueue(deps.state, callSid, queueSid);
  } catch (err) {
    log.error({ err, call_sid: callSid, queue_sid: queueSid }, "could not keep the caller's queue");
  }
}

/** The task's place in line; null when the task no longer exists. */
async function whereInLine(deps: CallFlowDeps, ws: string, taskSid: string): Promise<QueuePosition | null> {
  try {
    return await deps.engine.queuePosition(ws, taskSid);
  } catch (err) {
    if (err instanceof TwilioError && err.status === 404) return null;
    throw err;
  }
}

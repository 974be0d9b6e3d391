import { queueOfCaller, forgetCallerQueue } from '../call-queue.js';
import { badRequest } from '../../core/errors.js';
import { twilioRest } from '../twilio/rest-failure.js';
import type { TelephonyDeps } from './telephony-deps.js';
import { log } from '../../telemetry/log.js';

/**
 * Takes a task's waiting caller out of their queue (Queue Members update) to `url`. The queue is the one Twilio named
 * on the caller's hold requests (`QueueSid`), so nothing is listed. `action` names the update in a failed REST
 * call's error.
 */
export async function redirectQueuedCaller(deps: TelephonyDeps, taskSid: string, callSid: string, url: string, action: string): Promise<void> {
  const queueSid = await queueOfCaller(deps.state, callSid);
  if (!queueSid) throw badRequest(`The caller of task ${taskSid} is not waiting in a queue`);
  await twilioRest(action, () => deps.client.queues(queueSid).members(callSid).update({ url, method: 'POST' }));
}

/**
 * Deletes a caller's queue once they are out of it (bridged and done, hung up, moved to a conference or a stream):
 * Twilio keeps every queue until it is deleted, and only an empty one can be. One already gone is fine; one a caller
 * waits in again is left for when they leave it. Failures are logged: the call goes on either way.
 */
export async function removeCallerQueue(deps: Pick<TelephonyDeps, 'client' | 'state'>, callSid: string, queueSid: string): Promise<void> {
  try {
    await deps.client.queues(queueSid).remove();
  } catch (err) {
    // 404: deleted already. Anything else (a caller back in it, Twilio failing) keeps it known, to try again later.
    if ((err as { status?: unknown }).status !== 404) {
      log.error({ err, call_sid: callSid, queue_sid: queueSid }, "could not delete the caller's queue");
      return;
    }
  }
  await forgetCallerQueue(deps.state, callSid, queueSid).catch((err: unknown) => {
    log.error({ err, call_sid: callSid, queue_sid: queueSid }, "could not forget the caller's queue");
  });
}

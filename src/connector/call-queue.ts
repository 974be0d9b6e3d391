import { CALL_LINK_TTL_MS, callQueueKey } from './call-index.js';
import type { ConnectorState } from './state/connector-state.js';

const QUEUE_SID = /^QU[0-9a-fA-F]{32}$/;

/** Whether `value` is a Twilio queue sid. */
export function isQueueSid(value: string | undefined): value is string {
  return value !== undefined && QUEUE_SID.test(value);
}

/**
 * Keeps the queue a caller waits in, from the `QueueSid` Twilio sends on every hold request, so moving the caller
 * later finds it without listing the account's queues. A caller put back in line after their queue was deleted
 * waits in a new one: the call then names the new queue.
 */
export async function keepCallerQueue(state: ConnectorState, callSid: string, queueSid: string): Promise<void> {
  const key = callQueueKey(callSid);
  const held = await state.holder(key);
  if (held === queueSid) return;
  if (held) await state.release(key, held);
  // Should another hold request of the same call get there first, it knows the queue as well as this one.
  await state.claim(key, queueSid, CALL_LINK_TTL_MS);
}

/** The queue a caller waits in, as the last hold request told it; null when it is not known (or no longer). */
export async function queueOfCaller(state: ConnectorState, callSid: string): Promise<string | null> {
  return state.holder(callQueueKey(callSid));
}

/** Forgets a caller's queue, unless the call names another one by now. */
export async function forgetCallerQueue(state: ConnectorState, callSid: string, queueSid: string): Promise<void> {
  await state.release(callQueueKey(callSid), queueSid);
}

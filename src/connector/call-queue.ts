import { CommitConflict } from '../core/errors.js';
import type { RoutingStore } from '../store/routing-store.js';
import { CONNECTOR_PARTITION } from './connector-directory.js';
import { callQueueKey } from './call-index.js';

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
export async function keepCallerQueue(store: RoutingStore, callSid: string, queueSid: string): Promise<void> {
  const key = callQueueKey(callSid);
  const held = await store.lookupUnique(CONNECTOR_PARTITION, key);
  if (held === queueSid) return;
  if (held) await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'release', key, sid: held }] });
  try {
    await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'claim', key, sid: queueSid }] });
  } catch (err) {
    // Another hold request of the same call got there first, and it knows the queue as well as this one.
    if (!(err instanceof CommitConflict)) throw err;
  }
}

/** The queue a caller waits in, as the last hold request told it; null when it is not known (or no longer). */
export async function queueOfCaller(store: RoutingStore, callSid: string): Promise<string | null> {
  return store.lookupUnique(CONNECTOR_PARTITION, callQueueKey(callSid));
}

/** Forgets a caller's queue, unless the call names another one by now. */
export async function forgetCallerQueue(store: RoutingStore, callSid: string, queueSid: string): Promise<void> {
  await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'release', key: callQueueKey(callSid), sid: queueSid }] });
}

import type { RoutingStore } from '../store/routing-store.js';
import { CONNECTOR_PARTITION } from './connector-directory.js';

const callKey = (callSid: string): string => `call:${callSid}`;

/** The task a waiting caller's call belongs to. */
export interface CallTask {
  workspaceSid: string;
  taskSid: string;
}

/**
 * Which task a caller's call created, for the call's own status callback (configured on the number at Twilio, so
 * its URL cannot carry the task). Kept as a unique key of the connector's partition while the caller waits, and let
 * go when their call ends.
 */
export async function rememberCall(store: RoutingStore, callSid: string, call: CallTask): Promise<void> {
  await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'claim', key: callKey(callSid), sid: `${call.workspaceSid}/${call.taskSid}` }] });
}

export async function taskOfCall(store: RoutingStore, callSid: string): Promise<CallTask | null> {
  const held = await store.lookupUnique(CONNECTOR_PARTITION, callKey(callSid));
  if (!held) return null;
  const [workspaceSid, taskSid] = held.split('/') as [string, string];
  return { workspaceSid, taskSid };
}

export async function forgetCall(store: RoutingStore, callSid: string, call: CallTask): Promise<void> {
  await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'release', key: callKey(callSid), sid: `${call.workspaceSid}/${call.taskSid}` }] });
}

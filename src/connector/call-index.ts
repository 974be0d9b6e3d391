import type { RoutingStore } from '../store/routing-store.js';
import { CONNECTOR_PARTITION } from './connector-directory.js';

/**
 * What the connector keeps about a caller's call while it lasts, as unique keys of the connector's partition (shared
 * by every instance):
 *
 *   call:<CA>        → <WS>/<WT>[/<fallback>]  the task the call created, and how the caller was answered
 *   call-claim:<CA>  → <token>@<ms>            who is creating that task (see call-task-once.ts)
 *   call-queue:<CA>  → <QU>                    the Twilio queue the caller waits in (see call-queue.ts)
 *
 * The first two are let go when the call ends, the last once the queue is deleted.
 */
export const callKey = (callSid: string): string => `call:${callSid}`;
export const callClaimKey = (callSid: string): string => `call-claim:${callSid}`;
export const callQueueKey = (callSid: string): string => `call-queue:${callSid}`;

/** How a caller was answered once done with the IVR: put in line, or given the number's fallback. */
export type CallAnswer = 'queue' | 'voicemail' | 'message';

/** The task a caller's call created. */
export interface CallTask {
  workspaceSid: string;
  taskSid: string;
  answer: CallAnswer;
}

function encode(call: CallTask): string {
  const base = `${call.workspaceSid}/${call.taskSid}`;
  return call.answer === 'queue' ? base : `${base}/${call.answer}`;
}

function decode(value: string): CallTask | null {
  const [workspaceSid, taskSid, answer = 'queue'] = value.split('/');
  if (!workspaceSid || !taskSid || (answer !== 'queue' && answer !== 'voicemail' && answer !== 'message')) return null;
  return { workspaceSid, taskSid, answer };
}

/**
 * Which task a caller's call created: for a retried webhook (answered from it rather than creating another), and for
 * the call's own status callback (configured on the number at Twilio, so its URL cannot carry the task). Throws
 * `CommitConflict` when the call already names another task.
 */
export async function rememberCall(store: RoutingStore, callSid: string, call: CallTask): Promise<void> {
  await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'claim', key: callKey(callSid), sid: encode(call) }] });
}

export async function taskOfCall(store: RoutingStore, callSid: string): Promise<CallTask | null> {
  const held = await store.lookupUnique(CONNECTOR_PARTITION, callKey(callSid));
  return held ? decode(held) : null;
}

/** Lets go of what was kept about a call that ended: its task and the claim that created it. */
export async function forgetCall(store: RoutingStore, callSid: string): Promise<void> {
  const keys = [callKey(callSid), callClaimKey(callSid)];
  const held = await Promise.all(keys.map((key) => store.lookupUnique(CONNECTOR_PARTITION, key)));
  const unique = keys.flatMap((key, i) => (held[i] ? [{ op: 'release' as const, key, sid: held[i] }] : []));
  // A release names the value read, so a value written meanwhile stays.
  if (unique.length > 0) await store.commit(CONNECTOR_PARTITION, { unique });
}

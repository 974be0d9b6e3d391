import { CommitConflict } from '../core/errors.js';
import { DAY_MS, type ClaimKey, type ConnectorState } from './state/connector-state.js';

/**
 * What the connector keeps about a caller's call while it lasts, as claims in the call's slot of the connector's
 * state (shared by every instance):
 *
 *   call-task     → <WS>/<WT>[/<fallback>]  the task the call created, and how the caller was answered
 *   call-claim    → <token>@<ms>            who is creating that task (see call-task-once.ts)
 *   caller-queue  → <QU>                    the Twilio queue the caller waits in (see call-queue.ts)
 *
 * The first two are let go when the call ends, the last once the queue is deleted; each also expires after
 * CALL_LINK_TTL_MS, so a call whose ending was never heard of (a status callback lost) leaves nothing for good.
 */
export const CALL_LINK_TTL_MS = DAY_MS;

export const callKey = (callSid: string): ClaimKey => ({ kind: 'call-task', subject: callSid });
export const callClaimKey = (callSid: string): ClaimKey => ({ kind: 'call-claim', subject: callSid });
export const callQueueKey = (callSid: string): ClaimKey => ({ kind: 'caller-queue', subject: callSid });

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
export async function rememberCall(state: ConnectorState, callSid: string, call: CallTask): Promise<void> {
  if (!(await state.claim(callKey(callSid), encode(call), CALL_LINK_TTL_MS))) throw new CommitConflict(`call ${callSid} names another task`);
}

export async function taskOfCall(state: ConnectorState, callSid: string): Promise<CallTask | null> {
  const held = await state.holder(callKey(callSid));
  return held ? decode(held) : null;
}

/** Lets go of what was kept about a call that ended: its task and the claim that created it. */
export async function forgetCall(state: ConnectorState, callSid: string): Promise<void> {
  await Promise.all(
    [callKey(callSid), callClaimKey(callSid)].map(async (key) => {
      const held = await state.holder(key);
      // A release names the value read, so a value written meanwhile stays.
      if (held) await state.release(key, held);
    }),
  );
}

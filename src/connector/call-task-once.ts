import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommitConflict, serviceUnavailable } from '../core/errors.js';
import type { RoutingEngine } from '../engine/engine.js';
import { CALL_LINK_TTL_MS, callClaimKey, rememberCall, taskOfCall, type CallTask } from './call-index.js';
import type { ConnectorState } from './state/connector-state.js';
import { log } from '../telemetry/log.js';

/** How long a claim protects a task being created: past it, its holder is taken to have died mid-way. */
export const CLAIM_LEASE_MS = 15_000;
/** How long a retried delivery waits for the delivery that holds the claim: less than Twilio's 15 s webhook timeout. */
const WAIT_MS = 10_000;
const POLL_MS = 25;

interface Claim {
  value: string;
}

/**
 * The task of a caller's call, created by `create` at most once however often and however concurrently Twilio
 * delivers the webhook, on whichever instances. The first delivery claims the call in the store and creates the task;
 * a delivery arriving meanwhile waits for it and answers with the same task. A claim whose holder failed is let go
 * (the next delivery tries again), and one whose holder died is taken over once its lease is over.
 */
export async function callTaskOnce(engine: RoutingEngine, state: ConnectorState, callSid: string, create: () => Promise<CallTask>): Promise<CallTask> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const known = await taskOfCall(state, callSid);
    if (known) return known;
    const claim = await claimCall(engine, state, callSid);
    if (claim) {
      let call: CallTask;
      try {
        call = await create();
      } catch (err) {
        await releaseClaim(state, callSid, claim);
        throw err;
      }
      return (await keepCall(engine, state, callSid, call)) ?? call;
    }
    if (Date.now() > deadline) throw serviceUnavailable(`Call ${callSid} is still being answered by another delivery of its webhook`);
    await sleep(POLL_MS);
  }
}

/**
 * Records the call's task. Should a delivery that outlived its claim find the call taken by the one that took the
 * claim over, its own task goes and the other's is the answer.
 */
async function keepCall(engine: RoutingEngine, state: ConnectorState, callSid: string, call: CallTask): Promise<CallTask | null> {
  try {
    await rememberCall(state, callSid, call);
    return null;
  } catch (err) {
    const other = err instanceof CommitConflict ? await taskOfCall(state, callSid) : null;
    if (!other) throw err;
    await engine.deleteTask(call.workspaceSid, call.taskSid).catch((cause: unknown) => {
      log.error(
        { err: cause, workspace_sid: call.workspaceSid, task_sid: call.taskSid, call_sid: callSid },
        'could not delete a task created twice for a call',
      );
    });
    return other;
  }
}

/** Claims the creation of a call's task; null while another delivery holds a live claim. */
async function claimCall(engine: RoutingEngine, state: ConnectorState, callSid: string): Promise<Claim | null> {
  const key = callClaimKey(callSid);
  const now = engine.clock.now();
  const held = await state.holder(key);
  if (held) {
    const since = Number(held.slice(held.lastIndexOf('@') + 1));
    if (Number.isFinite(since) && now - since < CLAIM_LEASE_MS) return null;
    // The holder is gone: its claim is let go (only if still the one read), then claimed like a free one.
    await state.release(key, held);
  }
  const claim = { value: `${randomUUID()}@${now}` };
  return (await state.claim(key, claim.value, CALL_LINK_TTL_MS)) ? claim : null;
}

async function releaseClaim(state: ConnectorState, callSid: string, claim: Claim): Promise<void> {
  await state
    .release(callClaimKey(callSid), claim.value)
    .catch((err: unknown) => log.error({ err, call_sid: callSid }, 'could not let go of the claim on a call'));
}

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommitConflict, serviceUnavailable } from '../core/errors.js';
import type { RoutingEngine } from '../engine/engine.js';
import { CONNECTOR_PARTITION } from './connector-directory.js';
import { callClaimKey, rememberCall, taskOfCall, type CallTask } from './call-index.js';

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
export async function callTaskOnce(engine: RoutingEngine, callSid: string, create: () => Promise<CallTask>): Promise<CallTask> {
  const store = engine.store;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const known = await taskOfCall(store, callSid);
    if (known) return known;
    const claim = await claimCall(engine, callSid);
    if (claim) {
      let call: CallTask;
      try {
        call = await create();
      } catch (err) {
        await releaseClaim(engine, callSid, claim);
        throw err;
      }
      return (await keepCall(engine, callSid, call)) ?? call;
    }
    if (Date.now() > deadline) throw serviceUnavailable(`Call ${callSid} is still being answered by another delivery of its webhook`);
    await sleep(POLL_MS);
  }
}

/**
 * Records the call's task. Should a delivery that outlived its claim find the call taken by the one that took the
 * claim over, its own task goes and the other's is the answer.
 */
async function keepCall(engine: RoutingEngine, callSid: string, call: CallTask): Promise<CallTask | null> {
  try {
    await rememberCall(engine.store, callSid, call);
    return null;
  } catch (err) {
    const other = err instanceof CommitConflict ? await taskOfCall(engine.store, callSid) : null;
    if (!other) throw err;
    await engine.deleteTask(call.workspaceSid, call.taskSid).catch((cause: unknown) => {
      console.error(`could not delete task ${call.taskSid}, created twice for call ${callSid}`, cause);
    });
    return other;
  }
}

/** Claims the creation of a call's task; null while another delivery holds a live claim. */
async function claimCall(engine: RoutingEngine, callSid: string): Promise<Claim | null> {
  const store = engine.store;
  const key = callClaimKey(callSid);
  const now = engine.clock.now();
  const held = await store.lookupUnique(CONNECTOR_PARTITION, key);
  if (held) {
    const since = Number(held.slice(held.lastIndexOf('@') + 1));
    if (Number.isFinite(since) && now - since < CLAIM_LEASE_MS) return null;
    // The holder is gone: its claim is let go (only if still the one read), then claimed like a free one.
    await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'release', key, sid: held }] });
  }
  const claim = { value: `${randomUUID()}@${now}` };
  try {
    await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'claim', key, sid: claim.value }] });
    return claim;
  } catch (err) {
    if (err instanceof CommitConflict) return null;
    throw err;
  }
}

async function releaseClaim(engine: RoutingEngine, callSid: string, claim: Claim): Promise<void> {
  await engine.store
    .commit(CONNECTOR_PARTITION, { unique: [{ op: 'release', key: callClaimKey(callSid), sid: claim.value }] })
    .catch((err: unknown) => console.error(`could not let go of the claim on call ${callSid}`, err));
}

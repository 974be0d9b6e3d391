import { browserAgentIdentity } from './browser-agent-leg.js';
import { dequeueToBrowserAgent } from './browser-agent.js';
import { badRequest } from '../../core/errors.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { agentAddress, callOfTask } from './agent-address.js';
import { callAgent } from './agent-leg-call.js';
import { InstructionParams } from './instruction-params.js';
import type { TelephonyDeps } from './telephony-deps.js';

/** TaskRouter's default and ceiling for how long the agent's phone rings. */
export const DEFAULT_DEQUEUE_TIMEOUT = 60;
const MAX_DEQUEUE_TIMEOUT = 999;

/**
 * `dequeue`: calls the agent (DequeueTo, else the worker's contact_uri) from DequeueFrom, else the number the caller
 * dialed; a `stream:` agent gets the caller over a Media Stream instead. The reservation is accepted when the agent
 * answers, not now.
 */
export async function dequeue(deps: TelephonyDeps, instruction: TelephonyInstruction): Promise<{ acceptNow: boolean }> {
  const params = new InstructionParams(instruction.params);
  const { dialed } = callOfTask(instruction.task);
  const to = agentAddress(params.text('DequeueTo'), instruction.worker, 'DequeueTo');
  const postWorkActivitySid = await postWorkActivity(deps, instruction.workspaceSid, params.text('DequeuePostWorkActivitySid'), 'DequeuePostWorkActivitySid');
  const browserAgent = browserAgentIdentity(to);
  if (browserAgent) return dequeueToBrowserAgent(deps, instruction, browserAgent, postWorkActivitySid);
  const from = params.text('DequeueFrom') ?? dialed;
  if (!from) throw badRequest(`DequeueFrom is required: task ${instruction.task.sid} does not say which number the caller dialed`);
  const record = params.text('DequeueRecord');
  if (record !== undefined && record !== 'record-from-answer' && record !== 'do-not-record') {
    throw badRequest(`DequeueRecord must be record-from-answer or do-not-record, got '${record}'`);
  }
  await callAgent(
    deps,
    {
      workspaceSid: instruction.workspaceSid,
      taskSid: instruction.task.sid,
      reservationSid: instruction.reservation.sid,
      mode: 'dequeue',
      postWorkActivitySid,
    },
    { to, from, timeout: params.int('DequeueTimeout', 1, MAX_DEQUEUE_TIMEOUT) ?? DEFAULT_DEQUEUE_TIMEOUT, record: record === 'record-from-answer' },
  );
  return { acceptNow: false };
}

/** A post-work activity must be one of the workspace's: checked before any call is placed. */
export async function postWorkActivity(deps: TelephonyDeps, ws: string, sid: string | undefined, parameter: string): Promise<string | undefined> {
  if (sid === undefined) return undefined;
  const config = await deps.engine.workspaceConfig(ws);
  if (!config.activities.has(sid)) throw badRequest(`${parameter} ${sid} is not an Activity of this workspace`);
  return sid;
}

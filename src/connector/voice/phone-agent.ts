import { badRequest } from '../../core/errors.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { voiceWebhookUrl } from '../webhook-urls.js';
import { agentAddress, callOfTask } from './agent-address.js';
import { acceptOnAnswer, agentLegEnded } from './agent-answer.js';
import { agentLegQuery, type AgentLeg } from './agent-leg.js';
import { forgetAgentLeg } from '../agent-legs.js';
import { callAgent, DEFAULT_RING_SECONDS, postWorkActivity } from './agent-leg-call.js';
import { browserAgentIdentity } from './browser-agent-leg.js';
import { dequeueToBrowserAgent } from './browser-agent.js';
import type { CallFlowDeps } from './call-flow-deps.js';
import { joinConference } from './conference-agent.js';
import { InstructionParams } from './instruction-params.js';
import { hangUp, type VoiceOutcome } from './outcomes.js';
import type { TelephonyDeps } from './telephony-deps.js';

/**
 * A waiting caller dequeued to an agent's phone, as a story in four steps:
 * 1. `dequeue` — the agent's leg is placed (the reservation stays pending while it rings);
 * 2. `agentAnswered` — the reservation is accepted and the agent bridged to the caller's queue (or, for a
 *    conference leg, joined to the task's conference), or told the call is no longer theirs;
 * 3. `bridgeEnded` — the bridge is over: the agent's leg hangs up;
 * 4. `agentLegStatus` — the leg's final status: unanswered rejects the reservation (the caller waits for the next
 *    agent), completed wraps the task up and moves the worker to the post-work activity.
 * A leg still ringing when its reservation ends is canceled (ringing-legs.ts).
 */

/** TaskRouter's ceiling for how long the agent's phone rings. */
const MAX_DEQUEUE_TIMEOUT = 999;

/** Final statuses of a call: the leg is over. */
const FINAL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/**
 * `dequeue`: calls the agent (DequeueTo, else the worker's contact_uri) from DequeueFrom, else the number the caller
 * dialed; a `stream:` agent gets the caller over a Media Stream instead (browser-agent.ts). The reservation is
 * accepted when the agent answers, not now.
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
    { to, from, timeout: params.int('DequeueTimeout', 1, MAX_DEQUEUE_TIMEOUT) ?? DEFAULT_RING_SECONDS, record: record === 'record-from-answer' },
  );
  return { acceptNow: false };
}

/**
 * The agent picked up (`leg` is what the answered webhook's URL carries, null when it carried nothing of ours): the
 * reservation is accepted, and the agent dials the task's queue, which holds exactly the waiting caller — or joins
 * the task's conference. An agent whose call moved on meanwhile (caller gone, reservation over) is told so.
 */
export async function agentAnswered(deps: CallFlowDeps, leg: AgentLeg | null, agentCallSid: string): Promise<VoiceOutcome> {
  if (!leg || !(await acceptOnAnswer(deps.engine, leg, agentCallSid))) return { kind: 'no-longer-yours' };
  if (leg.mode === 'conference') return joinConference(deps, leg);
  return { kind: 'bridge-to-queue', queueName: leg.taskSid, afterUrl: voiceWebhookUrl(deps.publicUrl(), 'agent-dial', agentLegQuery(leg)) };
}

/** The bridge ended (or found the queue empty): the agent's leg is hung up. */
export function bridgeEnded(): VoiceOutcome {
  return hangUp(null);
}

/**
 * A status callback of the agent's leg. At a final status the leg is forgotten — nothing left to cancel when the
 * reservation ends — and the reservation rejected (never answered) or the task wrapped up (the call is over).
 */
export async function agentLegStatus(deps: CallFlowDeps, leg: AgentLeg | null, callSid: string | undefined, status: string): Promise<void> {
  if (!leg || !FINAL_STATUSES.has(status)) return;
  if (callSid) await forgetAgentLeg(deps.state, leg.reservationSid, callSid);
  await agentLegEnded(deps.engine, leg, status);
}

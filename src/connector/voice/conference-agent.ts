import { badRequest } from '../../core/errors.js';
import { isSid } from '../../core/sid.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { decodeState, encodeState, voiceWebhookUrl } from '../webhook-urls.js';
import { agentAddress, callOfTask } from './agent-address.js';
import type { AgentLeg, ConferenceSettings } from './agent-leg.js';
import { callAgent, DEFAULT_RING_SECONDS, postWorkActivity } from './agent-leg-call.js';
import { browserAgentIdentity } from './browser-agent-leg.js';
import type { CallFlowDeps } from './call-flow-deps.js';
import { InstructionParams } from './instruction-params.js';
import { hangUp, type ConferenceAttributes, type VoiceOutcome } from './outcomes.js';
import { redirectQueuedCaller } from './queued-caller.js';
import type { TelephonyDeps } from './telephony-deps.js';
import { log } from '../../telemetry/log.js';

/**
 * A waiting caller and an agent meeting in a conference named after the task:
 * 1. `conference` — the agent's leg is placed, as for `dequeue` (phone-agent.ts), with each side's conference settings;
 * 2. the agent answers (phone-agent.ts `agentAnswered`): the reservation is accepted, and `joinConference` moves the
 *    caller out of their queue toward the conference and joins the agent to it;
 * 3. `callerJoinsConference` — the caller's way in;
 * 4. the agent's leg ends and its status wraps the task up, as for `dequeue`.
 * An agent who does not answer leaves the caller waiting in line.
 */

const BEEPS = ['true', 'false', 'onEnter', 'onExit'] as const;
const RECORDS = ['do-not-record', 'record-from-start'] as const;
const TRIMS = ['trim-silence', 'do-not-trim'] as const;

/**
 * `conference`: rings the agent (To, else the worker's contact_uri). When they answer, the reservation is accepted,
 * the caller is taken out of their queue into a `<Conference>` named after the task, and the agent joins it — so an
 * agent who does not answer leaves the caller waiting in line, as with `dequeue`.
 */
export async function conference(deps: TelephonyDeps, instruction: TelephonyInstruction): Promise<{ acceptNow: boolean }> {
  const params = new InstructionParams(instruction.params);
  const { dialed } = callOfTask(instruction.task);
  const to = agentAddress(params.text('To'), instruction.worker, 'To');
  if (browserAgentIdentity(to)) throw badRequest(`${to} is a browser agent on a Media Stream: it takes calls through dequeue or call, not conference`);
  const from = params.text('From') ?? dialed;
  if (!from) throw badRequest(`From is required: task ${instruction.task.sid} does not say which number the caller dialed`);
  const leg: AgentLeg = {
    workspaceSid: instruction.workspaceSid,
    taskSid: instruction.task.sid,
    reservationSid: instruction.reservation.sid,
    mode: 'conference',
    postWorkActivitySid: await postWorkActivity(deps, instruction.workspaceSid, params.text('PostWorkActivitySid'), 'PostWorkActivitySid'),
    conference: conferenceSettings(params),
  };
  await callAgent(deps, leg, { to, from, timeout: params.int('Timeout', 1, 999) ?? DEFAULT_RING_SECONDS, record: params.bool('Record') ?? false });
  return { acceptNow: false };
}

/** Each leg's `<Conference>` attributes from the instruction's parameters, with TaskRouter's defaults. */
export function conferenceSettings(params: InstructionParams): ConferenceSettings {
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = params.text(name);
    if (value !== undefined && !(allowed as readonly string[]).includes(value))
      throw badRequest(`${name} must be one of ${allowed.join(', ')}, got '${value}'`);
    return value as T | undefined;
  };
  const statusCallback = params.url('ConferenceStatusCallback');
  const shared = dropUndefined({
    beep: oneOf('Beep', BEEPS) ?? 'true',
    waitUrl: params.text('WaitUrl') === undefined ? undefined : params.url('WaitUrl'),
    waitMethod: params.text('WaitMethod'),
    maxParticipants: params.int('MaxParticipants', 2, 250),
    record: oneOf('ConferenceRecord', RECORDS),
    trim: oneOf('ConferenceTrim', TRIMS),
    statusCallback,
    statusCallbackMethod: statusCallback ? (params.text('ConferenceStatusCallbackMethod') ?? 'POST') : undefined,
    statusCallbackEvent: statusCallback ? (params.list('ConferenceStatusCallbackEvent') as ConferenceSettings['agent']['statusCallbackEvent']) : undefined,
    recordingStatusCallback: params.url('ConferenceRecordingStatusCallback'),
  });
  return {
    agent: {
      ...shared,
      startConferenceOnEnter: params.bool('StartConferenceOnEnter') ?? true,
      endConferenceOnExit: params.bool('EndConferenceOnExit') ?? false,
      muted: params.bool('Muted') ?? false,
    },
    caller: { ...shared, startConferenceOnEnter: true, endConferenceOnExit: params.bool('EndConferenceOnCustomerExit') ?? false },
  };
}

/**
 * The agent answered and the reservation is accepted: the waiting caller is taken out of their queue (Queue Members
 * update) into the task's conference, and the agent joins it. When the caller cannot be moved (they hung up, Twilio
 * refused), the agent hears the call is no longer theirs: their leg ends at once and its status callback wraps up.
 */
export async function joinConference(deps: CallFlowDeps, leg: AgentLeg): Promise<VoiceOutcome> {
  const task = await deps.engine.store.get(leg.workspaceSid, 'task', leg.taskSid);
  if (!task || !deps.telephony) return { kind: 'no-longer-yours' };
  try {
    const url = voiceWebhookUrl(deps.publicUrl(), 'conference-caller', { task: leg.taskSid, conference: encodeState(leg.conference?.caller ?? {}) });
    await redirectQueuedCaller(deps.telephony, leg.taskSid, callOfTask(task).callSid, url, 'move the caller into the conference');
  } catch (err) {
    log.error({ err, workspace_sid: leg.workspaceSid, task_sid: leg.taskSid }, 'could not move the caller into the conference');
    return { kind: 'no-longer-yours' };
  }
  return { kind: 'join-conference', name: leg.taskSid, settings: leg.conference?.agent ?? {} };
}

/**
 * The caller, taken out of their queue, joins the task's conference with the caller's settings the URL carries. Only
 * our own URLs get here signed, and they name a task; anything else has no conference to join.
 */
export function callerJoinsConference(taskSid: string | undefined, settings: string | undefined): VoiceOutcome {
  if (!isSid(taskSid, 'WT')) return hangUp(null);
  return { kind: 'join-conference', name: taskSid, settings: decodeState<ConferenceAttributes>(settings, {}) };
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

import { browserAgentIdentity } from './browser-agent-leg.js';
import { badRequest } from '../../core/errors.js';
import type { AgentLeg, ConferenceSettings } from './agent-leg.js';
import { encodeState, voiceWebhookUrl } from '../webhook-urls.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { agentAddress, callOfTask } from './agent-address.js';
import { callAgent } from './agent-leg-call.js';
import { DEFAULT_DEQUEUE_TIMEOUT, postWorkActivity } from './phone-agent.js';
import { InstructionParams } from './instruction-params.js';
import { redirectQueuedCaller } from './queued-caller.js';
import type { TelephonyDeps } from './telephony-deps.js';

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
  await callAgent(deps, leg, { to, from, timeout: params.int('Timeout', 1, 999) ?? DEFAULT_DEQUEUE_TIMEOUT, record: params.bool('Record') ?? false });
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

/** Takes the caller out of their queue (Queue Members update) into the task's conference. */
export async function moveCallerToConference(deps: TelephonyDeps, leg: AgentLeg, callerCallSid: string): Promise<void> {
  const url = voiceWebhookUrl(deps.publicUrl(), 'conference-caller', {
    task: leg.taskSid,
    conference: encodeState(leg.conference?.caller ?? {}),
  });
  await redirectQueuedCaller(deps, leg.taskSid, callerCallSid, url, 'move the caller into the conference');
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

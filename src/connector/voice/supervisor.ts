import { badRequest } from '../../core/errors.js';
import { isSid } from '../../core/sid.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { twilioRest } from '../twilio/rest-failure.js';
import { voiceWebhookUrl } from '../webhook-urls.js';
import { agentAddress, callOfTask } from './agent-address.js';
import { browserAgentIdentity } from './browser-agent-leg.js';
import { InstructionParams } from './instruction-params.js';
import { hangUp, type VoiceOutcome } from './outcomes.js';
import { taskConference } from './task-conference.js';
import type { TelephonyDeps } from './telephony-deps.js';

/**
 * A supervisor joining the conference of a task's call (conference-agent.ts):
 * 1. `supervise` — the supervisor's phone (their worker's `contact_uri`) is called;
 * 2. `supervisorJoins` — when they answer, they join the task's conference: muted to `monitor`, heard to `barge`.
 * They never start or end the conference: it is the caller's and the agent's. `whisper` (heard by the agent only)
 * needs Twilio's coaching, which plain Voice primitives do not give, and is refused.
 */

/** `supervise`: calls the supervisor into the task's conference, once it is known to be in progress. */
export async function supervise(deps: TelephonyDeps, instruction: TelephonyInstruction): Promise<{ acceptNow: boolean }> {
  const params = new InstructionParams(instruction.params);
  const mode = params.text('SupervisorMode') ?? 'monitor';
  if (mode === 'whisper') throw badRequest('SupervisorMode whisper is not supported by the voice connector: use monitor or barge');
  if (mode !== 'monitor' && mode !== 'barge') throw badRequest(`SupervisorMode must be monitor, whisper or barge, got '${mode}'`);
  const supervisorSid = params.text('Supervisor')!;
  const supervisor = await deps.engine.store.get(instruction.workspaceSid, 'worker', supervisorSid);
  if (!supervisor) throw badRequest(`Supervisor ${supervisorSid} is not a Worker of this workspace`);
  const to = agentAddress(undefined, supervisor, 'Supervisor');
  if (browserAgentIdentity(to)) throw badRequest(`${to} is a browser agent on a Media Stream: it cannot join a conference`);
  const from = params.text('SupervisorFrom') ?? params.text('From') ?? callOfTask(instruction.task).dialed;
  if (!from) throw badRequest(`SupervisorFrom is required: task ${instruction.task.sid} does not say which number the caller dialed`);
  await taskConference(deps, instruction.workspaceSid, instruction.task);
  const url = voiceWebhookUrl(deps.publicUrl(), 'supervisor', { task: instruction.task.sid, mode });
  await twilioRest('call the supervisor', () => deps.client.calls.create({ to, from, url, method: 'POST' }));
  return { acceptNow: false };
}

/** The supervisor answered: into the task's conference, muted unless barging. Only our signed URLs get here. */
export function supervisorJoins(taskSid: string | undefined, mode: string | undefined): VoiceOutcome {
  if (!isSid(taskSid, 'WT') || (mode !== 'monitor' && mode !== 'barge')) return hangUp(null);
  return {
    kind: 'join-conference',
    name: taskSid,
    settings: { muted: mode === 'monitor', beep: 'false', startConferenceOnEnter: false, endConferenceOnExit: false },
  };
}

import { badRequest } from '../../core/errors.js';
import type { TaskRecord, WorkerRecord } from '../../core/model.js';
import { attributesOf } from '../task-attributes.js';
import { AGENT_IDENTITY_PATTERN } from '../voice-token.js';

const ADDRESS = new RegExp(`^(client:[A-Za-z0-9_.@-]+|stream:${AGENT_IDENTITY_PATTERN}|sip:.+|\\+[1-9]\\d{1,14})$`);

/**
 * Where an agent's leg is placed: the instruction's own `to`, else the worker's `contact_uri` attribute — a Voice SDK
 * identity (`client:alice`), an E.164 number or a SIP URI, as TaskRouter accepts — or a browser agent on a Media
 * Stream (`stream:alice`, see browser-agent-leg.ts).
 */
export function agentAddress(explicit: string | undefined, worker: WorkerRecord, parameter: string): string {
  const contact = attributesOf(worker).contact_uri;
  const address = explicit ?? (typeof contact === 'string' ? contact.trim() : undefined);
  if (!address) {
    throw badRequest(`${parameter} is required: worker ${worker.sid} has no contact_uri attribute to call`);
  }
  if (!ADDRESS.test(address)) {
    throw badRequest(
      `${explicit ? parameter : `Worker ${worker.sid}'s contact_uri`} must be client:<identity>, stream:<identity>, an E.164 number or a sip: URI, got '${address}'`,
    );
  }
  return address;
}

/** The caller's number a task was created from (`to` — the number they dialed — and the caller's `call_sid`). */
export function callOfTask(task: TaskRecord): { callSid: string; dialed: string | undefined } {
  const attributes = attributesOf(task);
  const callSid = attributes.call_sid;
  if (typeof callSid !== 'string' || callSid === '') {
    throw badRequest(`Task ${task.sid} was not created from a call (it has no call_sid attribute): there is no caller to connect`);
  }
  return { callSid, dialed: typeof attributes.to === 'string' ? attributes.to : undefined };
}

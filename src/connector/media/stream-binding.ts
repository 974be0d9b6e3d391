import { createHmac } from 'node:crypto';
import { sameSecret } from '../../api/auth.js';

/** What a stream is for: a supervisor's copy of a call's audio, or a browser agent's leg of a call. */
export type StreamPurpose = 'listen' | 'agent';

/**
 * The task (and, for an agent's leg, the reservation, agent and post-work activity) a Media Stream belongs to,
 * carried as `<Parameter>`s (or REST stream parameters) that come back in the stream's `start` message.
 */
export interface StreamBinding {
  purpose: StreamPurpose;
  workspaceSid: string;
  taskSid: string;
  reservationSid: string | null;
  identity: string | null;
  postWorkActivitySid: string | null;
}

const NAMES = { purpose: 'purpose', workspace: 'workspace', task: 'task', reservation: 'reservation', identity: 'identity', post: 'post', key: 'key' };

/**
 * The stream parameters for a binding, with a key: an HMAC, under our auth token, of the binding and the call the
 * stream is on. Only Twilio sees our TwiML and REST requests, so a stream presenting a valid key for its own call
 * was set up by us — whether or not the upgrade request carried a signature.
 */
export function bindingParameters(binding: StreamBinding, callSid: string, authToken: string): Record<string, string> {
  const parameters: Record<string, string> = {
    [NAMES.purpose]: binding.purpose,
    [NAMES.workspace]: binding.workspaceSid,
    [NAMES.task]: binding.taskSid,
  };
  if (binding.reservationSid) parameters[NAMES.reservation] = binding.reservationSid;
  if (binding.identity) parameters[NAMES.identity] = binding.identity;
  if (binding.postWorkActivitySid) parameters[NAMES.post] = binding.postWorkActivitySid;
  parameters[NAMES.key] = bindingKey(binding, callSid, authToken);
  return parameters;
}

/** The binding a stream's `customParameters` carry, when its key holds for `callSid`; null otherwise. */
export function readBinding(parameters: Record<string, unknown>, callSid: string, authToken: string): StreamBinding | null {
  const text = (name: string): string | null => {
    const value = parameters[name];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const purpose = text(NAMES.purpose);
  const workspaceSid = text(NAMES.workspace);
  const taskSid = text(NAMES.task);
  const key = text(NAMES.key);
  if ((purpose !== 'listen' && purpose !== 'agent') || !workspaceSid || !taskSid || !key) return null;
  const binding: StreamBinding = {
    purpose,
    workspaceSid,
    taskSid,
    reservationSid: text(NAMES.reservation),
    identity: text(NAMES.identity),
    postWorkActivitySid: text(NAMES.post),
  };
  if (purpose === 'agent' && (!binding.reservationSid || !binding.identity)) return null;
  return sameSecret(key, bindingKey(binding, callSid, authToken)) ? binding : null;
}

function bindingKey(binding: StreamBinding, callSid: string, authToken: string): string {
  const fields = [
    'media-stream',
    binding.purpose,
    binding.workspaceSid,
    binding.taskSid,
    binding.reservationSid ?? '',
    binding.identity ?? '',
    binding.postWorkActivitySid ?? '',
    callSid,
  ];
  return createHmac('sha256', authToken).update(fields.join('\n'), 'utf8').digest('base64url');
}

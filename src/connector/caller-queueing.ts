import type { IvrMenuRecord, PhoneNumberRecord } from '../core/model.js';
import type { RoutingEngine } from '../engine/engine.js';
import { enqueueTwiml } from '../../twiml/enqueue.js';
import { callbackMessageTwiml, voicemailTwiml } from '../../twiml/fallback.js';
import type { SpeechStyle } from '../../twiml/speech.js';
import { fallbackReason } from './availability.js';
import { callAttributes } from './call-attributes.js';
import { rememberCall } from './call-index.js';
import { voiceWebhookUrl } from './webhook-urls.js';

/** What the call flow works with. */
export interface CallFlowDeps {
  engine: RoutingEngine;
  publicUrl: () => string;
}

/** How a number (or one of its menus, which may override it) speaks. */
export function speechStyle(number: Pick<PhoneNumberRecord, 'language' | 'voice'> | null, menu?: Pick<IvrMenuRecord, 'language' | 'voice'> | null): SpeechStyle {
  return { language: menu?.language ?? number?.language ?? 'en-US', voice: menu?.voice ?? number?.voice ?? null };
}

/**
 * The caller is done with the IVR: their task is created with TaskRouter's call attributes and their answers, on the
 * number's workflow and channel, and they are parked in a queue of their own to wait for an agent. When the number's
 * queue is full or no one is available, they get the number's fallback instead: a voicemail, or a message saying
 * they will be called back — either way the task stays, marked `callback_requested`, for an agent to call back.
 * Returns the TwiML to answer with.
 */
export async function queueCaller(deps: CallFlowDeps, number: PhoneNumberRecord, params: Record<string, string | undefined>, answers: Record<string, unknown>): Promise<string> {
  const attributes: Record<string, unknown> = { ...callAttributes(params), ...answers };
  const reason = await fallbackReason(deps.engine, number);
  // A full queue cannot take the caller even when the number would queue them rather than fall back.
  const fallback = reason === null ? null : number.whenNoWorkers === 'queue' ? 'message' : number.whenNoWorkers;
  if (fallback !== null) Object.assign(attributes, { callback_requested: true, fallback_reason: reason });
  const task = await deps.engine.createTask(number.workspaceSid, {
    workflowSid: number.workflowSid,
    taskChannel: number.taskChannel,
    attributes: JSON.stringify(attributes),
  });
  const publicUrl = deps.publicUrl();
  const query = { ws: number.workspaceSid, task: task.sid, number: number.sid };
  const style = speechStyle(number);
  if (fallback === 'voicemail') return voicemailTwiml(style, number.fallbackMessage, number.voicemailMaxSeconds, voiceWebhookUrl(publicUrl, 'voicemail', query));
  if (fallback === 'message') return callbackMessageTwiml(style, number.fallbackMessage);
  if (params.CallSid) await rememberCall(deps.engine.store, params.CallSid, { workspaceSid: number.workspaceSid, taskSid: task.sid });
  return enqueueCallerTwiml(publicUrl, number.workspaceSid, task.sid, number.sid);
}

/**
 * Parks a task's caller in a queue of their own, named after the task, with the hold music and queue-result
 * webhooks told the workspace, task and number (when known).
 */
export function enqueueCallerTwiml(publicUrl: string, ws: string, taskSid: string, numberSid: string | undefined): string {
  const query = { ws, task: taskSid, number: numberSid };
  return enqueueTwiml({
    queueName: taskSid,
    waitUrl: voiceWebhookUrl(publicUrl, 'hold', query),
    actionUrl: voiceWebhookUrl(publicUrl, 'queue-result', query),
  });
}

import type { IvrMenuRecord, PhoneNumberRecord } from '../core/model.js';
import type { RoutingEngine } from '../engine/engine.js';
import { enqueueTwiml } from '../../twiml/enqueue.js';
import { callbackMessageTwiml, voicemailTwiml } from '../../twiml/fallback.js';
import type { SpeechStyle } from '../../twiml/speech.js';
import { fallbackReason } from './availability.js';
import { MAX_ATTRIBUTES_LENGTH } from '../core/validate.js';
import { shortenToFit } from '../core/text-limits.js';
import { callAttributes, SHORTENED_FIRST } from './call-attributes.js';
import type { CallTask } from './call-index.js';
import { callTaskOnce } from './call-task-once.js';
import type { ConnectorState } from './state/connector-state.js';
import { voiceWebhookUrl } from './webhook-urls.js';

/** What the call flow works with. */
export interface CallFlowDeps {
  engine: RoutingEngine;
  state: ConnectorState;
  publicUrl: () => string;
}

/** How a number (or one of its menus, which may override it) speaks. */
export function speechStyle(
  number: Pick<PhoneNumberRecord, 'language' | 'voice'> | null,
  menu?: Pick<IvrMenuRecord, 'language' | 'voice'> | null,
): SpeechStyle {
  return { language: menu?.language ?? number?.language ?? 'en-US', voice: menu?.voice ?? number?.voice ?? null };
}

/**
 * The caller is done with the IVR: their task is created with TaskRouter's call attributes and their answers, on the
 * number's workflow and channel, and they are parked in a queue of their own to wait for an agent. When the number's
 * queue is full or no one is available, they get the number's fallback instead: a voicemail, or a message saying
 * they will be called back — either way the task stays, marked `callback_requested`, for an agent to call back.
 * A call gets one task however often Twilio delivers the webhook: a repeated delivery is answered as the first was.
 * Returns the TwiML to answer with.
 */
export async function queueCaller(
  deps: CallFlowDeps,
  number: PhoneNumberRecord,
  params: Record<string, string | undefined>,
  answers: Record<string, unknown>,
): Promise<string> {
  const create = () => createCallTask(deps, number, params, answers);
  const call = params.CallSid ? await callTaskOnce(deps.engine, deps.state, params.CallSid, create) : await create();
  return callerTwiml(deps.publicUrl(), number, call);
}

/** Creates the caller's task, deciding whether they wait in line or get the number's fallback. */
async function createCallTask(
  deps: CallFlowDeps,
  number: PhoneNumberRecord,
  params: Record<string, string | undefined>,
  answers: Record<string, unknown>,
): Promise<CallTask> {
  const reason = await fallbackReason(deps.engine, number);
  // A full queue cannot take the caller even when the number would queue them rather than fall back.
  const fallback = reason === null ? null : number.whenNoWorkers === 'queue' ? 'message' : number.whenNoWorkers;
  const outcome = fallback === null ? {} : { callback_requested: true, fallback_reason: reason };
  const task = await deps.engine.createTask(number.workspaceSid, {
    workflowSid: number.workflowSid,
    taskChannel: number.taskChannel,
    attributes: JSON.stringify(fittingAttributes(callAttributes(params), answers, outcome)),
  });
  return { workspaceSid: number.workspaceSid, taskSid: task.sid, answer: fallback ?? 'queue' };
}

/**
 * A call's task attributes within TaskRouter's limit, so that no caller is turned away for what their call carries:
 * long call attributes (SIP URIs, caller names) are shortened first; answers too large to fit beside them (a menu
 * stored before its options were bounded) are left out and the task says so with `ivr_answers_dropped`.
 */
function fittingAttributes(call: Record<string, string>, answers: Record<string, unknown>, outcome: Record<string, unknown>): Record<string, unknown> {
  const whole = shortenToFit({ ...call, ...answers, ...outcome }, SHORTENED_FIRST, MAX_ATTRIBUTES_LENGTH);
  if (JSON.stringify(whole).length <= MAX_ATTRIBUTES_LENGTH) return whole;
  return shortenToFit({ ...call, ...outcome, ivr_answers_dropped: true }, SHORTENED_FIRST, MAX_ATTRIBUTES_LENGTH);
}

/** What a caller whose call created `call` is answered with. */
function callerTwiml(publicUrl: string, number: PhoneNumberRecord, call: CallTask): string {
  const style = speechStyle(number);
  const query = { ws: call.workspaceSid, task: call.taskSid, number: number.sid };
  if (call.answer === 'voicemail')
    return voicemailTwiml(style, number.fallbackMessage, number.voicemailMaxSeconds, voiceWebhookUrl(publicUrl, 'voicemail', query));
  if (call.answer === 'message') return callbackMessageTwiml(style, number.fallbackMessage);
  return enqueueCallerTwiml(publicUrl, call.workspaceSid, call.taskSid, number.sid);
}

/**
 * Parks a task's caller in a queue of their own, named after the task, with the hold music and queue-result
 * webhooks told the workspace, task and number (when known). A caller put back in line gives `announcedAt`: their
 * announcements carry on from there rather than start over, as they have not lost their place.
 */
export function enqueueCallerTwiml(publicUrl: string, ws: string, taskSid: string, numberSid: string | undefined, announcedAt?: number): string {
  const query = { ws, task: taskSid, number: numberSid };
  return enqueueTwiml({
    queueName: taskSid,
    waitUrl: voiceWebhookUrl(publicUrl, 'hold', { ...query, announced: announcedAt }),
    actionUrl: voiceWebhookUrl(publicUrl, 'queue-result', query),
  });
}

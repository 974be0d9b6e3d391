import type { IvrMenuRecord, PhoneNumberRecord } from '../../core/model.js';
import { shortenToFit } from '../../core/text-limits.js';
import { MAX_ATTRIBUTES_LENGTH } from '../../core/validate.js';
import { callAttributes, SHORTENED_FIRST } from '../call-attributes.js';
import type { CallTask } from '../call-index.js';
import { callTaskOnce } from '../call-task-once.js';
import { mergeTaskAttributes } from '../task-attributes.js';
import { voiceWebhookUrl } from '../webhook-urls.js';
import { fallbackReason } from './availability.js';
import type { CallFlowDeps } from './call-flow-deps.js';
import type { CallerInLine } from './caller-in-line.js';
import { pickOption } from './ivr-answer.js';
import { ivrActionUrl, type IvrProgress } from './ivr-progress.js';
import { hangUp, speechStyle, type VoiceOutcome } from './outcomes.js';

/*
 * A customer calling one of our numbers, as a story:
 * 1. `callArrived` — the number called selects its configuration; the caller hears its IVR menu, or goes straight on;
 * 2. `menuAnswered` — each answer adds its option's attributes and asks the next menu, until the caller is done;
 * 3. `queueCaller` — their task is created and they wait in a queue of their own (caller-in-line.ts: hold music,
 *    their place in line, leaving the queue), or, when no one can answer, get the number's fallback: a voicemail
 *    (`voicemailLeft`) or a promise to be called back.
 */

const NOT_IN_SERVICE = 'We are sorry, the number you have called is not in service. Goodbye.';
const NO_ANSWER = "Sorry, I didn't get that.";
const NO_MATCH = 'Sorry, that is not one of the choices.';
const VOICEMAIL_THANKS = 'Thank you. We will call you back as soon as possible. Goodbye.';

/**
 * An inbound call: the number called (`To`, else `Called`) selects its configuration; the caller hears its IVR menu,
 * or goes straight into line. Numbers we do not serve hear a short message and are hung up on.
 */
export async function callArrived(deps: CallFlowDeps, params: Record<string, string | undefined>): Promise<VoiceOutcome> {
  const called = params.To ?? params.Called;
  const number = called ? await deps.directory.numberInService(called) : null;
  if (!number) return hangUp(null, NOT_IN_SERVICE);
  const menu = number.ivrMenuSid ? await deps.directory.ivrMenuBySid(number.ivrMenuSid) : null;
  if (menu) return askMenu(deps, number, menu, { numberSid: number.sid, menuSid: menu.sid, attempt: 0, answers: {} });
  return queueCaller(deps, number, params, {});
}

/**
 * A menu's answer (`progress` is what its action URL carries, null when it carried nothing of ours): the chosen
 * option's attributes are added to the caller's answers and its next menu asked, or the caller is queued. A missing
 * or unknown answer asks the menu again, up to its retries, after which the caller is queued with what they chose
 * so far.
 */
export async function menuAnswered(deps: CallFlowDeps, progress: IvrProgress | null, params: Record<string, string | undefined>): Promise<VoiceOutcome> {
  const { directory } = deps;
  const number = progress ? await directory.phoneNumberBySid(progress.numberSid) : null;
  if (!progress || !number) return hangUp(null, NOT_IN_SERVICE);
  const menu = await directory.ivrMenuBySid(progress.menuSid);
  // The menu was removed while the caller listened to it: they have chosen all they can.
  if (!menu) return queueCaller(deps, number, params, progress.answers);
  const option = pickOption(menu, params.Digits, params.SpeechResult);
  if (!option) {
    if (progress.attempt >= menu.retries) return queueCaller(deps, number, params, progress.answers);
    const notice = params.Digits || params.SpeechResult ? NO_MATCH : NO_ANSWER;
    return askMenu(deps, number, menu, { ...progress, attempt: progress.attempt + 1 }, notice);
  }
  const answers = { ...progress.answers, ...option.attributes };
  const next = option.nextMenuSid ? await directory.ivrMenuBySid(option.nextMenuSid) : null;
  if (next) return askMenu(deps, number, next, { numberSid: number.sid, menuSid: next.sid, attempt: 0, answers });
  return queueCaller(deps, number, params, answers);
}

function askMenu(deps: Pick<CallFlowDeps, 'publicUrl'>, number: PhoneNumberRecord, menu: IvrMenuRecord, progress: IvrProgress, notice?: string): VoiceOutcome {
  return { kind: 'ask-menu', menu, style: speechStyle(number, menu), actionUrl: ivrActionUrl(deps.publicUrl(), progress), notice };
}

/**
 * The caller is done with the IVR: their task is created with TaskRouter's call attributes and their answers, on the
 * number's workflow and channel, and they are parked in a queue of their own to wait for an agent. When the number's
 * queue is full or no one is available, they get the number's fallback instead: a voicemail, or a message saying
 * they will be called back — either way the task stays, marked `callback_requested`, for an agent to call back.
 * A call gets one task however often Twilio delivers the webhook: a repeated delivery is answered as the first was.
 */
export async function queueCaller(
  deps: Pick<CallFlowDeps, 'engine' | 'state' | 'publicUrl'>,
  number: PhoneNumberRecord,
  params: Record<string, string | undefined>,
  answers: Record<string, unknown>,
): Promise<VoiceOutcome> {
  const create = () => createCallTask(deps, number, params, answers);
  const call = params.CallSid ? await callTaskOnce(deps.engine, deps.state, params.CallSid, create) : await create();
  return callerOutcome(deps.publicUrl(), number, call);
}

/** Creates the caller's task, deciding whether they wait in line or get the number's fallback. */
async function createCallTask(
  deps: Pick<CallFlowDeps, 'engine'>,
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
function callerOutcome(publicUrl: string, number: PhoneNumberRecord, call: CallTask): VoiceOutcome {
  const style = speechStyle(number);
  const query = { ws: call.workspaceSid, task: call.taskSid, number: number.sid };
  if (call.answer === 'voicemail') {
    const actionUrl = voiceWebhookUrl(publicUrl, 'voicemail', query);
    return { kind: 'take-voicemail', style, message: number.fallbackMessage, maxSeconds: number.voicemailMaxSeconds, actionUrl };
  }
  if (call.answer === 'message') return { kind: 'promise-callback', style, message: number.fallbackMessage };
  return waitInLine(publicUrl, call.workspaceSid, call.taskSid, number.sid);
}

/**
 * Parks a task's caller in a queue of their own, named after the task, with the hold music and queue-result
 * webhooks told the workspace, task and number (when known). A caller put back in line gives `announcedAt`: their
 * announcements carry on from there rather than start over, as they have not lost their place.
 */
export function waitInLine(publicUrl: string, ws: string, taskSid: string, numberSid: string | undefined, announcedAt?: number): VoiceOutcome {
  const query = { ws, task: taskSid, number: numberSid };
  return {
    kind: 'wait-in-line',
    queueName: taskSid,
    waitUrl: voiceWebhookUrl(publicUrl, 'hold', { ...query, announced: announcedAt }),
    actionUrl: voiceWebhookUrl(publicUrl, 'queue-result', query),
  };
}

/**
 * The voicemail fallback's recording arrived: it is added to the caller's task (`voicemail_url`,
 * `voicemail_duration`), which waits, marked `callback_requested`, for an agent to call back. `call` is what the
 * recording's action URL carries.
 */
export async function voicemailLeft(
  deps: Pick<CallFlowDeps, 'engine' | 'directory'>,
  call: CallerInLine,
  params: Record<string, string | undefined>,
): Promise<VoiceOutcome> {
  const number = await deps.directory.phoneNumberBySid(call.numberSid);
  if (params.RecordingUrl) {
    const duration = Number(params.RecordingDuration);
    await mergeTaskAttributes(deps.engine, call.ws, call.taskSid, {
      voicemail_url: params.RecordingUrl,
      ...(Number.isFinite(duration) ? { voicemail_duration: duration } : {}),
    });
  }
  return hangUp(number, VOICEMAIL_THANKS);
}

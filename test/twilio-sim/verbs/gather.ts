import { methodOf, resolveUrl } from '../voice/fetch.js';
import { NEXT, type VerbHandler } from '../voice/program.js';
import { playPrompt } from './audio.js';

/**
 * `<Gather>`: plays its nested prompts, then collects what the party does (scripted with `press`/`say`/`silence`).
 *
 * - DTMF: digits accumulate until `numDigits` are in, `finishOnKey` (default `#`) is pressed, or `timeout` seconds
 *   (default 5) pass without another key; leftover digits stay queued for the next `<Gather>`.
 * - Speech: one `say()` is one utterance (`SpeechResult`, `Confidence`).
 * - Input the `input` attribute does not listen for is consumed and ignored, as on a real call.
 * - With a result, the action (default: the current document's URL) is requested and its TwiML replaces the document.
 *   Without one, execution falls through to the next verb, unless `actionOnEmptyResult="true"`.
 * - Input during a prompt (or already queued when it starts) cuts the prompts short (barge-in) unless
 *   `bargeIn="false"`: the prompt playing is logged as heard, later ones are not.
 */
export const gatherVerb: VerbHandler = async ({ env, call, scope, verb, doc }) => {
  const a = verb.attributes;
  const listen = (a.input ?? 'dtmf').split(/[\s,]+/).filter(Boolean);
  const numDigits = a.numDigits ? Number(a.numDigits) : Infinity;
  const finishOnKey = a.finishOnKey ?? '#';
  const timeoutMs = Number(a.timeout ?? 5) * 1000;
  const bargeIn = a.bargeIn !== 'false';
  env.record(call.sid, { type: 'gather', phase: 'start', input: listen });

  for (const prompt of verb.children) {
    const interrupted = await playPrompt(env, call, scope, prompt, bargeIn);
    if (interrupted) break;
  }

  let digits = '';
  let finishedOnKey: string | undefined;
  let speech: { text: string; confidence: number } | undefined;
  collect: for (;;) {
    const available = await call.inputs.whenAvailable(scope, env.clock, timeoutMs);
    if (!available) break;
    const input = call.inputs.peek()!;
    if (input.kind === 'silence') {
      call.inputs.shift();
      break;
    }
    if (input.kind === 'speech') {
      call.inputs.shift();
      if (listen.includes('speech')) {
        speech = { text: input.text, confidence: input.confidence };
        break;
      }
      continue;
    }
    if (!listen.includes('dtmf')) {
      call.inputs.shift();
      continue;
    }
    let used = 0;
    for (const key of input.digits) {
      used++;
      if (finishOnKey && key === finishOnKey) {
        finishedOnKey = key;
        call.inputs.consumeDigits(used);
        break collect;
      }
      digits += key;
      if (digits.length >= numDigits) {
        call.inputs.consumeDigits(used);
        break collect;
      }
    }
    call.inputs.consumeDigits(used);
  }

  const hasResult = Boolean(digits || speech);
  if (!hasResult) {
    env.record(call.sid, { type: 'gather', phase: 'timeout', input: listen });
    if (a.actionOnEmptyResult !== 'true') return NEXT;
  } else {
    env.record(call.sid, {
      type: 'gather',
      phase: 'result',
      input: listen,
      ...(speech ? { speech: speech.text } : { digits }),
      ...(finishedOnKey !== undefined && { finishedOnKey }),
    });
  }
  if (!a.action && !doc.url) return NEXT;
  const params: Record<string, string> = {};
  if (speech) {
    params.SpeechResult = speech.text;
    params.Confidence = String(speech.confidence);
    if (a.language) params.Language = a.language;
  } else {
    params.Digits = digits;
    params.FinishedOnKey = finishedOnKey ?? '';
  }
  return {
    kind: 'goto',
    target: {
      url: a.action ? resolveUrl(doc, a.action) : doc.url!,
      method: methodOf(a.method),
      params,
      purpose: 'gather-action',
    },
  };
};

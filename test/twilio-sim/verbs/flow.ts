import { methodOf, resolveUrl } from '../voice/fetch.js';
import { NEXT, type VerbHandler } from '../voice/program.js';

/** `<Redirect>`: continue with the TwiML at the URL (relative URLs resolve against the current document). */
export const redirectVerb: VerbHandler = async ({ verb, doc }) => ({
  kind: 'goto',
  target: { url: resolveUrl(doc, verb.text), method: methodOf(verb.attributes.method), purpose: 'redirect' },
});

/** `<Hangup>`: ends the call (answering it first if needed, which the runner already did). */
export const hangupVerb: VerbHandler = async ({ call }) => {
  call.end('twiml');
  return { kind: 'hangup' };
};

/**
 * `<Reject>`: refuses an unanswered call without picking up. Twilio ends it `busy` for `reason="busy"` and
 * `no-answer` for the default `rejected`. On a call already answered it can only hang up.
 */
export const rejectVerb: VerbHandler = async ({ call, verb }) => {
  if (call.answered) call.end('twiml');
  else call.end('twiml', verb.attributes.reason === 'busy' ? 'busy' : 'no-answer');
  return { kind: 'hangup' };
};

/** `<Leave>`: only valid in a waitUrl document; the `<Enqueue>` that is waiting takes it from here. */
export const leaveVerb: VerbHandler = async () => ({ kind: 'leave' });

/** Valid TwiML the simulator does not act out: logged as a warning and skipped. */
export const unsupportedVerb: VerbHandler = async ({ env, call, verb }) => {
  env.record(call.sid, { type: 'warning', message: `<${verb.name}> is not simulated; skipped` });
  return NEXT;
};

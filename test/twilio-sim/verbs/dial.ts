import { isInterrupt } from '../core/scope.js';
import type { UrlTarget } from '../core/types.js';
import type { TwimlNode } from '../twiml/parse.js';
import { methodOf, notify, resolveUrl } from '../voice/fetch.js';
import { NEXT, type VerbHandler } from '../voice/program.js';
import { dialConference } from './dial-conference.js';
import { dialEndpoints } from './dial-endpoints.js';
import { dialQueue } from './dial-queue.js';
import { nounAddress, type DialProgress } from './dial-shared.js';

const ENDPOINT_NOUNS = ['Number', 'Client', 'Sip'];

function describeNoun(noun: TwimlNode): string {
  if (noun.name === 'Queue') return `queue:${noun.text}`;
  if (noun.name === 'Conference') return `conference:${noun.text}`;
  if (ENDPOINT_NOUNS.includes(noun.name)) return nounAddress(noun);
  return `${noun.name.toLowerCase()}:${noun.text}`;
}

function actionParams(progress: DialProgress): Record<string, string> {
  const params: Record<string, string> = { DialCallStatus: progress.status, ...progress.extra };
  if (!progress.conference) {
    if (progress.dialCallSid) params.DialCallSid = progress.dialCallSid;
    if (progress.bridge) params.DialCallDuration = String(progress.bridge.durationSeconds);
  }
  params.DialBridged = String(Boolean(progress.bridge) || Boolean(progress.conference));
  return params;
}

/**
 * `<Dial>`: connects this call to another party and waits until that connection is over, then requests the `action`
 * (with DialCallStatus, DialCallSid, DialCallDuration, DialBridged) and runs its TwiML, or falls through to the next
 * verb. If this call hangs up during the dial, the action is still requested — with the outcome so far — but its
 * answer is not executed; if the call is redirected through the REST API, the action is not requested.
 */
export const dialVerb: VerbHandler = async (x) => {
  const { env, call, verb, doc } = x;
  const a = verb.attributes;
  const nouns: TwimlNode[] = verb.text ? [{ name: 'Number', attributes: {}, text: verb.text, children: [] }] : [...verb.children];
  const progress: DialProgress = { status: 'failed', extra: {} };
  const action = a.action ? { url: resolveUrl(doc, a.action), method: methodOf(a.method) } : null;
  const actionTarget = (): UrlTarget => ({
    url: action!.url,
    method: action!.method,
    params: actionParams(progress),
    purpose: 'dial-action',
  });
  const recordEnd = () =>
    env.record(call.sid, {
      type: 'dial',
      phase: 'end',
      dialCallStatus: progress.status,
      ...(progress.dialCallSid && !progress.conference && { dialCallSid: progress.dialCallSid }),
      ...(progress.bridge && { dialCallDuration: progress.bridge.durationSeconds }),
    });

  env.record(call.sid, { type: 'dial', phase: 'start', targets: nouns.map(describeNoun) });
  try {
    const first = nouns[0]!;
    if (first.name === 'Queue') await dialQueue(x, first, progress);
    else if (first.name === 'Conference') await dialConference(x, first, progress);
    else {
      const reachable = nouns.filter((n) => ENDPOINT_NOUNS.includes(n.name));
      for (const noun of nouns.filter((n) => !ENDPOINT_NOUNS.includes(n.name))) {
        env.record(call.sid, { type: 'warning', message: `<Dial><${noun.name}> is not simulated; skipped` });
      }
      if (reachable.length) await dialEndpoints(x, reachable, progress);
    }
  } catch (err) {
    if (!isInterrupt(err)) throw err;
    recordEnd();
    if (err.interrupt.kind === 'hangup' && action) await notify(env, call, actionTarget());
    throw err;
  }
  recordEnd();
  return action ? { kind: 'goto', target: actionTarget() } : NEXT;
};

import { isInterrupt } from '../core/scope.js';
import type { DialCallStatus } from '../core/types.js';
import type { Bridge } from '../voice/bridge.js';
import type { VerbContext } from '../voice/program.js';

/** What a `<Dial>` has come to so far; what its action receives if it ends now. */
export interface DialProgress {
  status: DialCallStatus;
  dialCallSid?: string;
  bridge?: Bridge;
  /** Conference dials report no DialCallSid or duration. */
  conference?: boolean;
  /** Extra action parameters (a `<Queue>` dial's QueueSid, QueueTime…). */
  extra: Record<string, string>;
}

/**
 * Keeps the dialing leg in `bridge` until the other side leaves, `timeLimit` runs out, or (with `hangupOnStar`) the
 * party presses `*`. If the dialing leg itself is interrupted, it leaves the bridge so the other side can carry on.
 */
export async function stayBridged(x: VerbContext, bridge: Bridge): Promise<void> {
  const { env, call, scope, verb } = x;
  const timeLimitMs = Number(verb.attributes.timeLimit ?? 14_400) * 1000;
  if (verb.attributes.hangupOnStar === 'true') bridge.hangupOnStar = call;
  const local = scope.child();
  try {
    env.clock.sleep(timeLimitMs, local.signal).then(
      () => bridge.end(null),
      () => {},
    );
    await local.race(bridge.ended.promise);
  } catch (err) {
    if (isInterrupt(err) && scope.aborted) bridge.end(call);
    throw err;
  } finally {
    local.abort({ kind: 'cancel', why: 'bridge over' });
    local.dispose();
  }
}

/** The address a `<Number>`, `<Client>` or `<Sip>` noun dials, in the form Twilio puts in the child leg's `To`. */
export function nounAddress(noun: { name: string; text: string; children: readonly { name: string; text: string }[] }): string {
  switch (noun.name) {
    case 'Client':
      return `client:${noun.text || noun.children.find((c) => c.name === 'Identity')?.text || ''}`;
    case 'Sip':
      return noun.text || noun.children.find((c) => c.name === 'Uri')?.text || '';
    default:
      return noun.text;
  }
}

import type { SimEnv } from '../core/env.js';
import type { Scope } from '../core/scope.js';
import type { CallStatus } from '../core/types.js';
import type { SimCall } from './call.js';

/** How placing a leg ended: answered (`in-progress`) or one of the unanswered final statuses. */
export type PlacementResult = Extract<CallStatus, 'in-progress' | 'busy' | 'failed' | 'no-answer'>;

/**
 * Places an outbound leg the way Twilio reports it: `initiated`, then `ringing` at the endpoint, then answered, or
 * busy/failed at once, or `no-answer` when `timeoutMs` of ringing pass. The leg's status follows along (and with it
 * its status callbacks); an unanswered leg is left for the caller to end with the returned status. An interruption
 * of `scope` (the dialing side hung up, REST cancel) propagates.
 */
export async function placeLeg(env: SimEnv, leg: SimCall, scope: Scope, timeoutMs: number): Promise<PlacementResult> {
  leg.setStatus('initiated');
  const agent = env.agents.find(leg.to);
  if (!agent) {
    env.record(leg.sid, { type: 'warning', message: `no endpoint registered for ${leg.to}: the call is ${env.options.unknownEndpoint}` });
    return env.options.unknownEndpoint;
  }
  const refusal = agent.refusal();
  if (refusal) return refusal;

  leg.setStatus('ringing');
  const local = scope.child();
  try {
    const timedOut = env.clock.sleep(timeoutMs, local.signal).then(() => 'no-answer' as const);
    const outcome = await local.race(Promise.race([agent.ring(leg, local), timedOut]));
    if (outcome === 'answered') {
      leg.answer();
      return 'in-progress';
    }
    return outcome;
  } finally {
    local.abort({ kind: 'cancel', why: 'ringing over' });
    local.dispose();
  }
}

import { deferred, isInterrupt, type Scope } from '../core/scope.js';
import type { CallStatus } from '../core/types.js';
import type { TwimlNode } from '../twiml/parse.js';
import { normalizeAddress } from '../voice/agents.js';
import { Bridge } from '../voice/bridge.js';
import { SimCall } from '../voice/call.js';
import { FetchFailure, methodOf, resolveUrl } from '../voice/fetch.js';
import type { VerbContext } from '../voice/program.js';
import { placeLeg } from '../voice/ringing.js';
import { parseProgressEvents } from '../voice/status-callbacks.js';
import { nounAddress, stayBridged, type DialProgress } from './dial-shared.js';

type AttemptOutcome =
  | { kind: 'bridged'; leg: SimCall; bridge: Bridge }
  /** Answered, but the whisper document hung up or failed instead of connecting. */
  | { kind: 'declined'; leg: SimCall; status: CallStatus }
  | { kind: 'unanswered'; leg: SimCall; status: CallStatus };

// When simultaneous legs all fail differently, the most telling status wins.
const UNANSWERED_ORDER: CallStatus[] = ['no-answer', 'busy', 'failed', 'canceled'];

/** One round of ringing: the legs placed together, the first to answer winning. */
class DialAttempt {
  readonly outcome = deferred<AttemptOutcome>();
  winner: SimCall | null = null;
  private readonly results = new Map<SimCall, CallStatus>();

  constructor(readonly legs: SimCall[]) {}

  claim(leg: SimCall): boolean {
    if (this.winner || this.outcome.settled) return false;
    this.winner = leg;
    // The others stop ringing: Twilio cancels them.
    for (const other of this.legs) if (other !== leg) other.end('bridge', 'canceled');
    return true;
  }

  unanswered(leg: SimCall, result: CallStatus): void {
    this.results.set(leg, result);
    if (this.winner || this.results.size < this.legs.length) return;
    const statuses = [...this.results.values()];
    const status = UNANSWERED_ORDER.find((s) => statuses.includes(s)) ?? statuses[0]!;
    this.outcome.resolve({ kind: 'unanswered', leg, status });
  }
}

/**
 * `<Dial>` to `<Number>`, `<Client>` and `<Sip>` nouns: each noun becomes a child leg (`outbound-dial`, with
 * `ParentCallSid`) placed at the registered endpoint; legs ring together unless `sequential="true"`, each for `timeout`
 * seconds (default 30). The first to answer runs its noun's `url` document (a whisper) and is bridged; the rest are
 * canceled. Noun `statusCallback`/`statusCallbackEvent` subscriptions report each child's progress.
 */
export async function dialEndpoints(x: VerbContext, nouns: readonly TwimlNode[], progress: DialProgress): Promise<void> {
  const { scope, verb } = x;
  const groups = verb.attributes.sequential === 'true' ? nouns.map((n) => [n]) : [nouns];
  for (const group of groups) {
    const attempt = new DialAttempt([]);
    for (const noun of group) attempt.legs.push(placeChild(x, noun, attempt));
    progress.dialCallSid = attempt.legs[0]!.sid;
    let outcome: AttemptOutcome;
    try {
      outcome = await scope.race(attempt.outcome.promise);
    } catch (err) {
      if (isInterrupt(err)) {
        // The dialing side went away while legs were still ringing: Twilio cancels them.
        for (const leg of attempt.legs) leg.end('bridge', 'canceled');
        progress.status = 'canceled';
      }
      throw err;
    }
    progress.dialCallSid = outcome.leg.sid;
    if (outcome.kind !== 'bridged') {
      progress.status = outcome.status;
      if (outcome.kind === 'unanswered') continue;
      return;
    }
    progress.status = 'completed';
    progress.bridge = outcome.bridge;
    await stayBridged(x, outcome.bridge);
    return;
  }
}

function placeChild(x: VerbContext, noun: TwimlNode, attempt: DialAttempt): SimCall {
  const { env, call: parent, verb, doc } = x;
  const a = noun.attributes;
  const to = nounAddress(noun);
  let statusCallback;
  if (a.statusCallback) {
    const events = parseProgressEvents(a.statusCallbackEvent);
    // The schema already rejected unknown event names.
    if (typeof events !== 'string') {
      statusCallback = { url: resolveUrl(doc, a.statusCallback), method: methodOf(a.statusCallbackMethod), events };
    }
  }
  const leg = new SimCall(
    env,
    {
      direction: 'outbound-dial',
      from: verb.attributes.callerId ?? parent.from,
      to: noun.name === 'Number' ? normalizeAddress(to) : to,
      parentCallSid: parent.sid,
      statusCallback,
    },
    'queued',
  );
  env.record(parent.sid, { type: 'leg', childCallSid: leg.sid, to: leg.to });
  const timeoutMs = Number(verb.attributes.timeout ?? 30) * 1000;
  const whisper = a.url ? { url: resolveUrl(doc, a.url), method: methodOf(a.method) } : null;

  x.spawn(leg, async (legScope: Scope) => {
    const placed = await placeLeg(env, leg, legScope, timeoutMs);
    if (placed !== 'in-progress') {
      leg.end('callee', placed);
      attempt.unanswered(leg, placed);
      return;
    }
    if (!attempt.claim(leg)) {
      // Someone else answered first.
      leg.end('bridge');
      return;
    }
    if (whisper) {
      try {
        const end = await x.runChain(leg, legScope, { ...whisper, purpose: 'whisper-url' }, 'whisper');
        if (end.kind !== 'end' || leg.ended) {
          attempt.outcome.resolve({ kind: 'declined', leg, status: 'completed' });
          return;
        }
      } catch (err) {
        if (!(err instanceof FetchFailure)) throw err;
        leg.end('error');
        attempt.outcome.resolve({ kind: 'declined', leg, status: 'failed' });
        return;
      }
    }
    if (parent.ended) {
      leg.end('bridge');
      return;
    }
    const bridge = new Bridge(env, parent, leg);
    attempt.outcome.resolve({ kind: 'bridged', leg, bridge });
    try {
      await legScope.race(bridge.ended.promise);
    } catch (err) {
      if (isInterrupt(err)) bridge.end(leg);
      throw err;
    }
    // The dialing side left: a child leg exists only for its parent, so it is hung up.
    leg.end('bridge');
  });
  return leg;
}

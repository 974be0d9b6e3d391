import { deferred, isInterrupt } from '../core/scope.js';
import type { TwimlNode } from '../twiml/parse.js';
import type { Bridge } from '../voice/bridge.js';
import { methodOf, resolveUrl } from '../voice/fetch.js';
import type { VerbContext } from '../voice/program.js';
import type { QueueMember } from '../voice/queues.js';
import { stayBridged, type DialProgress } from './dial-shared.js';

/**
 * `<Dial><Queue>`: takes the member at the front of the named queue. An empty queue is waited on for the Dial
 * `timeout` (then `no-answer`); a queue that does not exist fails at once (`failed`), as Twilio documents. The
 * noun's `url` document runs on the dequeued caller before the two are connected; the member's `<Enqueue>` does
 * that part, then hands back the bridge.
 */
export async function dialQueue(x: VerbContext, noun: TwimlNode, progress: DialProgress): Promise<void> {
  const { env, call, scope, verb, doc } = x;
  const queue = env.queues.byName(noun.text);
  if (!queue) {
    env.record(call.sid, { type: 'warning', message: `<Dial><Queue>: no queue named "${noun.text}"` });
    progress.status = 'failed';
    return;
  }

  const timeoutMs = Number(verb.attributes.timeout ?? 30) * 1000;
  const deadline = env.clock.now() + timeoutMs;
  let member: QueueMember | undefined = queue.members[0];
  while (!member) {
    const remaining = deadline - env.clock.now();
    if (remaining <= 0) break;
    const local = scope.child();
    const join = queue.nextJoin();
    try {
      const joined = await local.race(Promise.race([join.joined.then(() => true), env.clock.sleep(remaining, local.signal).then(() => false)]));
      if (!joined) break;
    } finally {
      join.cancel();
      local.abort({ kind: 'cancel', why: 'queue wait over' });
      local.dispose();
    }
    member = queue.members[0];
  }
  if (!member) {
    progress.status = 'no-answer';
    return;
  }

  const queueTime = queue.waitSeconds(member);
  queue.remove(member);
  const ready = deferred<Bridge | null>();
  progress.dialCallSid = member.call.sid;
  progress.extra = { QueueSid: queue.sid, QueueTime: String(queueTime), DequeingCallSid: call.sid };
  member.dequeue({
    kind: 'dial',
    dequeuer: call,
    url: noun.attributes.url ? resolveUrl(doc, noun.attributes.url) : null,
    method: methodOf(noun.attributes.method),
    bridge: ready,
  });

  let bridge: Bridge | null;
  try {
    bridge = await scope.race(ready.promise);
  } catch (err) {
    if (isInterrupt(err)) progress.status = 'canceled';
    throw err;
  }
  if (!bridge) {
    // The caller hung up while hearing the announcement.
    progress.status = 'failed';
    return;
  }
  progress.status = 'completed';
  progress.bridge = bridge;
  await stayBridged(x, bridge);
}

import { isInterrupt, type Interrupt } from '../core/scope.js';
import type { QueueResult, UrlTarget } from '../core/types.js';
import { Bridge } from '../voice/bridge.js';
import { FetchFailure, methodOf, notify, resolveUrl } from '../voice/fetch.js';
import { holdLoop } from '../voice/hold.js';
import { NEXT, type VerbHandler, type VerbOutcome } from '../voice/program.js';
import type { MemberTake, QueueMember, SimQueue } from '../voice/queues.js';

/** The parameters a waitUrl request carries, as of now. */
function waitParams(queue: SimQueue, member: QueueMember): Record<string, string> {
  return {
    QueuePosition: String(queue.position(member)),
    QueueSid: queue.sid,
    QueueTime: String(queue.waitSeconds(member)),
    AvgQueueTime: String(queue.averageWaitSeconds()),
    CurrentQueueSize: String(queue.currentSize),
    MaxQueueSize: String(queue.maxSize),
  };
}

/**
 * `<Enqueue>`: parks the caller in a named queue (created on first use, `maxQueueSize` applying to a new queue) and
 * plays the waitUrl loop until something takes the caller out:
 *
 * | what happened                       | QueueResult               | when the action is requested          |
 * |-------------------------------------|---------------------------|---------------------------------------|
 * | queue full                          | `queue-full`              | at once; its TwiML runs               |
 * | `<Leave>` in the waitUrl document   | `leave`                   | at once; its TwiML runs               |
 * | REST member update (`Url`)          | `redirected`              | at once; then the member runs `Url`   |
 * | REST call update while waiting      | `redirected`              | at once; then the call runs the update|
 * | `<Dial><Queue>` from another call   | `bridged`                 | after the bridge ends; its TwiML runs |
 * | REST call update while bridged      | `redirected-from-bridged` | at once; then the call runs the update|
 * | caller hangs up while waiting       | `hangup`                  | at once (answer ignored)              |
 * | caller hangs up while bridged       | `bridged`                 | after the bridge ends (answer ignored)|
 * | waitUrl fetch or TwiML error        | `error`                   | at once; its TwiML runs               |
 *
 * Without an action, execution falls through to the next verb.
 */
export const enqueueVerb: VerbHandler = async (x) => {
  const { env, call, scope, verb, doc } = x;
  const a = verb.attributes;
  const action = a.action ? { url: resolveUrl(doc, a.action), method: methodOf(a.method) } : null;
  const actionTarget = (result: QueueResult, extra: Record<string, string> = {}): UrlTarget => ({
    url: action!.url,
    method: action!.method,
    params: { QueueResult: result, ...extra },
    purpose: 'enqueue-action',
  });
  const finish = (result: QueueResult, extra?: Record<string, string>): VerbOutcome => (action ? { kind: 'goto', target: actionTarget(result, extra) } : NEXT);

  if (a.workflowSid) {
    env.record(call.sid, {
      type: 'error',
      code: 12200,
      message: '<Enqueue workflowSid> needs Twilio-hosted TaskRouter; a self-hosted TaskRouter must use a named queue',
    });
    return finish('error');
  }

  const queue = env.queues.getOrCreate(verb.text, a.maxQueueSize ? Number(a.maxQueueSize) : undefined);
  const member = queue.add(call);
  if (!member) {
    env.record(call.sid, { type: 'queue', phase: 'full', queueName: queue.friendlyName, queueSid: queue.sid });
    return finish('queue-full');
  }
  env.record(call.sid, {
    type: 'queue',
    phase: 'enter',
    queueName: queue.friendlyName,
    queueSid: queue.sid,
    position: queue.position(member),
  });

  let leftAt: number | null = null;
  const leave = (result: QueueResult, dequeuedBy?: string) => {
    if (leftAt !== null) return;
    leftAt = env.clock.now();
    queue.remove(member);
    env.record(call.sid, {
      type: 'queue',
      phase: 'leave',
      queueName: queue.friendlyName,
      queueSid: queue.sid,
      result,
      ...(dequeuedBy && { dequeuedBy }),
    });
  };
  const timing = () => ({
    QueueSid: queue.sid,
    QueueTime: String(Math.round(((leftAt ?? env.clock.now()) - member.enqueuedAt) / 1000)),
  });

  const holdScope = scope.child();
  let bridge: Bridge | null = null;
  try {
    const hold = holdLoop(x, call, holdScope, {
      url: a.waitUrl === undefined ? undefined : a.waitUrl.trim() === '' ? '' : resolveUrl(doc, a.waitUrl),
      method: methodOf(a.waitUrlMethod),
      purpose: 'wait-url',
      context: 'wait',
      params: () => waitParams(queue, member),
    }).then(
      () => ({ kind: 'left' as const }),
      (err: unknown) => ({ kind: 'failed' as const, err }),
    );
    const taken = member.taken.promise.then((take) => ({ kind: 'taken' as const, take }));
    const event = await scope.race(Promise.race([hold, taken]));
    holdScope.abort({ kind: 'cancel', why: 'no longer on hold' });

    if (event.kind === 'failed') {
      if (!(event.err instanceof FetchFailure)) throw event.err;
      leave('error');
      return finish('error', timing());
    }
    if (event.kind === 'left') {
      leave('leave');
      return finish('leave', timing());
    }
    const take: MemberTake = event.take;
    if (take.kind === 'rest') {
      leave('redirected');
      // Twilio requests the action right away; the member then runs the TwiML at the update's Url.
      if (action) await notify(env, call, actionTarget('redirected', timing()));
      return { kind: 'goto', target: { url: take.url, method: take.method, purpose: 'redirect' } };
    }

    leave('bridged', take.dequeuer.sid);
    if (take.url) {
      const announce = scope.child();
      try {
        await x.runChain(
          call,
          announce,
          {
            url: take.url,
            method: take.method,
            params: { ...timing(), DequeingCallSid: take.dequeuer.sid },
            purpose: 'queue-url',
          },
          'queueAnnounce',
        );
      } catch (err) {
        // A broken announcement is recorded as an error; the caller is still connected, as the dequeuer asked.
        if (!(err instanceof FetchFailure)) throw err;
      } finally {
        announce.dispose();
      }
    }
    if (take.dequeuer.ended) {
      take.bridge.resolve(null);
      return finish('bridging-in-process', timing());
    }
    bridge = new Bridge(env, take.dequeuer, call);
    take.bridge.resolve(bridge);
    await scope.race(bridge.ended.promise);
    return finish('bridged', timing());
  } catch (err) {
    if (!isInterrupt(err)) throw err;
    holdScope.abort({ kind: 'cancel', why: 'interrupted' });
    const result = interruptedResult(err.interrupt, bridge !== null, member.take);
    if (member.take?.kind === 'dial' && !bridge) member.take.bridge.resolve(null);
    bridge?.end(call);
    leave(result);
    if (action) await notify(env, call, actionTarget(result, timing()));
    throw err;
  } finally {
    holdScope.dispose();
  }
};

function interruptedResult(interrupt: Interrupt, bridged: boolean, take: MemberTake | null): QueueResult {
  if (interrupt.kind === 'redirect') return bridged ? 'redirected-from-bridged' : 'redirected';
  if (bridged) return 'bridged';
  // Taken by a dequeuer but not connected yet: the documented "bridging in process" state.
  return take?.kind === 'dial' ? 'bridging-in-process' : 'hangup';
}

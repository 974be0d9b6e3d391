import { badRequest } from '../../core/errors.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { bindingParameters } from '../media/stream-binding.js';
import { attributesOf } from '../task-attributes.js';
import { settle, wrapAfterCall } from '../task-lifecycle.js';
import { twilioRest } from '../twilio/rest-failure.js';
import { voiceWebhookUrl } from '../webhook-urls.js';
import { callOfTask } from './agent-address.js';
import { DEFAULT_RING_SECONDS } from './agent-leg-call.js';
import { browserAgentQuery, type BrowserAgentLeg } from './browser-agent-leg.js';
import type { CallFlowDeps } from './call-flow-deps.js';
import { waitInLine } from './caller.js';
import { InstructionParams } from './instruction-params.js';
import { hangUp, type VoiceOutcome } from './outcomes.js';
import { redirectQueuedCaller } from './queued-caller.js';
import type { TelephonyDeps } from './telephony-deps.js';

/*
 * A call bridged to a browser agent (`stream:<identity>`) over a bidirectional Media Stream, as a story:
 * 1. `dequeueToBrowserAgent` (a waiting caller) or `callForBrowserAgent` (a customer called back) brings the call to
 *    our browser-agent webhook;
 * 2. `browserAgentConnects` — the call is connected to our Media Streams endpoint, bound to the task, reservation and
 *    agent; the media relay (media/agent-bridge.ts) accepts the reservation when the bridge starts and wraps up when
 *    it ends;
 * 3. `browserAgentStreamEnded` — a dequeued caller still on the line when the stream ends is put back in line when
 *    the agent never took the call, else hung up.
 */

const GONE = new Set(['completed', 'canceled']);
const WAITING = new Set(['pending', 'reserved']);

/**
 * `dequeue` to `stream:<identity>`: there is no phone to ring, so the waiting caller is taken out of their queue
 * (Queue Members update) to our browser-agent webhook, whose `<Connect><Stream>` bridges them to the agent's
 * browser. The reservation is accepted when the bridge starts. An agent with no audio socket open cannot answer:
 * the reservation is rejected at once, as for a phone that is not picked up, and the caller keeps their place in
 * their queue (and their hold announcements) while the task goes to the next agent.
 */
export async function dequeueToBrowserAgent(
  deps: TelephonyDeps,
  instruction: TelephonyInstruction,
  identity: string,
  postWorkActivitySid: string | undefined,
): Promise<{ acceptNow: boolean }> {
  const { task } = instruction;
  const { callSid } = callOfTask(task);
  if (!(await deps.browserAgents?.reachable(identity))) {
    const { engine } = deps;
    await settle(engine.updateReservation(instruction.workspaceSid, { taskSid: task.sid }, instruction.reservation.sid, { reservationStatus: 'rejected' }));
    return { acceptNow: false };
  }
  const leg: BrowserAgentLeg = {
    workspaceSid: instruction.workspaceSid,
    taskSid: task.sid,
    reservationSid: instruction.reservation.sid,
    identity,
    mode: 'dequeue',
    postWorkActivitySid,
  };
  const url = voiceWebhookUrl(deps.publicUrl(), 'browser-agent', browserAgentQuery(leg));
  await redirectQueuedCaller(deps, task.sid, callSid, url, 'bring the caller to the browser agent');
  return { acceptNow: false };
}

/**
 * `call` to `stream:<identity>`: the agent's browser cannot be rung, so the task's customer (its `from`) is called
 * from CallFrom, and once they answer, our browser-agent webhook bridges them to the agent. CallUrl is the TwiML the
 * customer's call runs when the agent leaves. CallAccept=true accepts the reservation now; otherwise the bridge
 * accepts it.
 */
export async function callForBrowserAgent(deps: TelephonyDeps, instruction: TelephonyInstruction, identity: string): Promise<{ acceptNow: boolean }> {
  const params = new InstructionParams(instruction.params);
  const { task } = instruction;
  const customer = attributesOf(task).from;
  if (typeof customer !== 'string' || customer === '') {
    throw badRequest(`Task ${task.sid} has no from attribute: there is no customer to call for browser agent ${identity}`);
  }
  const leg: BrowserAgentLeg = {
    workspaceSid: instruction.workspaceSid,
    taskSid: task.sid,
    reservationSid: instruction.reservation.sid,
    identity,
    mode: 'call',
    afterUrl: params.url('CallUrl'),
  };
  const statusCallback = params.url('CallStatusCallbackUrl');
  await twilioRest('call the customer', () =>
    deps.client.calls.create({
      to: customer,
      from: params.text('CallFrom')!,
      url: voiceWebhookUrl(deps.publicUrl(), 'browser-agent', browserAgentQuery(leg)),
      method: 'POST',
      timeout: params.int('CallTimeout', 1, 999) ?? DEFAULT_RING_SECONDS,
      ...(statusCallback ? { statusCallback, statusCallbackMethod: 'POST' } : {}),
    }),
  );
  return { acceptNow: params.bool('CallAccept') ?? false };
}

/**
 * The call reached our browser-agent webhook (`leg` is what its URL carries, null when it carried nothing of ours):
 * it is connected to us over `<Connect><Stream>` whose parameters bind it to the task, reservation and agent. The
 * stream's end leads a dequeued caller to `browserAgentStreamEnded`, a called-back customer to the application's
 * CallUrl. A call whose task is over is hung up.
 */
export async function browserAgentConnects(deps: CallFlowDeps, leg: BrowserAgentLeg | null, callSid: string | undefined): Promise<VoiceOutcome> {
  const task = leg ? await deps.engine.store.get(leg.workspaceSid, 'task', leg.taskSid) : null;
  if (!leg || !callSid || !task || GONE.has(task.assignmentStatus)) return hangUp(null);
  const binding = {
    purpose: 'agent' as const,
    workspaceSid: leg.workspaceSid,
    taskSid: leg.taskSid,
    reservationSid: leg.reservationSid,
    identity: leg.identity,
    postWorkActivitySid: leg.postWorkActivitySid ?? null,
  };
  return {
    kind: 'connect-stream',
    streamUrl: deps.mediaStreamUrl(),
    parameters: bindingParameters(binding, callSid, deps.authToken),
    actionUrl: leg.mode === 'dequeue' ? voiceWebhookUrl(deps.publicUrl(), 'browser-agent-end', browserAgentQuery(leg)) : leg.afterUrl,
  };
}

/**
 * The stream of a dequeued caller ended with the caller still there: put back in line when the agent never took the
 * call (not connected, reservation rejected), else hung up.
 */
export async function browserAgentStreamEnded(deps: CallFlowDeps, leg: BrowserAgentLeg | null): Promise<VoiceOutcome> {
  const { engine } = deps;
  const task = leg ? await engine.store.get(leg.workspaceSid, 'task', leg.taskSid) : null;
  if (!leg || !task) return hangUp(null);
  const dialed = attributesOf(task).to;
  const number = typeof dialed === 'string' ? await deps.directory.findPhoneNumber(dialed) : null;
  if (WAITING.has(task.assignmentStatus)) {
    // The caller keeps their place (the task's) and hears the next announcement in due course rather than at once.
    return waitInLine(deps.publicUrl(), leg.workspaceSid, task.sid, number?.sid, engine.clock.now());
  }
  // The relay wraps the task when the bridge ends; this covers a relay that could not.
  await wrapAfterCall(engine, leg.workspaceSid, task.sid, leg.reservationSid);
  return hangUp(number);
}

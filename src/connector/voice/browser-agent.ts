import { badRequest } from '../../core/errors.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { attributesOf, callOfTask } from './agent-address.js';
import { redirectQueuedCaller } from './queued-caller.js';
import { InstructionParams } from './instruction-params.js';
import { twilioRest } from '../twilio/rest-failure.js';
import type { TelephonyDeps } from './telephony-deps.js';
import { browserAgentQuery, type BrowserAgentLeg } from './browser-agent-leg.js';
import { settle } from '../task-lifecycle.js';
import { voiceWebhookUrl } from '../webhook-urls.js';

/** TaskRouter's default for how long a `call` instruction's call rings. */
const DEFAULT_CALL_TIMEOUT = 60;

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
      timeout: params.int('CallTimeout', 1, 999) ?? DEFAULT_CALL_TIMEOUT,
      ...(statusCallback ? { statusCallback, statusCallbackMethod: 'POST' } : {}),
    }),
  );
  return { acceptNow: params.bool('CallAccept') ?? false };
}

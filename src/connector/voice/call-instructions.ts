import { callForBrowserAgent } from './browser-agent.js';
import { browserAgentIdentity } from './browser-agent-leg.js';
import { badRequest } from '../../core/errors.js';
import { mergeTaskAttributes } from '../task-attributes.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { agentAddress } from './agent-address.js';
import { DEFAULT_RING_SECONDS } from './agent-leg-call.js';
import { InstructionParams } from './instruction-params.js';
import { twilioRest } from '../twilio/rest-failure.js';
import type { TelephonyDeps } from './telephony-deps.js';

/*
 * The instructions that hand a call to the application: `call` places a call to the agent that runs the
 * application's TwiML (to a browser agent: browser-agent.ts), `redirect` moves a live call to the application's
 * TwiML. Either may accept the reservation at once; otherwise the application accepts it.
 */

/**
 * `call`: places a call to the agent (CallTo, else the worker's contact_uri) from CallFrom that runs the
 * application's CallUrl TwiML. The call is the application's to follow; the task learns its sid as
 * `worker_call_sid`, and CallAccept=true accepts the reservation at once.
 */
export async function outboundCall(deps: TelephonyDeps, instruction: TelephonyInstruction): Promise<{ acceptNow: boolean }> {
  const params = new InstructionParams(instruction.params);
  const to = agentAddress(params.text('CallTo'), instruction.worker, 'CallTo');
  const browserAgent = browserAgentIdentity(to);
  if (browserAgent) return callForBrowserAgent(deps, instruction, browserAgent);
  const from = params.text('CallFrom')!;
  const url = params.url('CallUrl')!;
  const statusCallback = params.url('CallStatusCallbackUrl');
  const record = params.text('CallRecord');
  if (record !== undefined && record !== 'record-from-answer' && record !== 'do-not-record') {
    throw badRequest(`CallRecord must be record-from-answer or do-not-record, got '${record}'`);
  }
  const acceptNow = params.bool('CallAccept') ?? false;
  const call = await twilioRest('place the call', () =>
    deps.client.calls.create({
      to,
      from,
      url,
      method: 'POST',
      timeout: params.int('CallTimeout', 1, 999) ?? DEFAULT_RING_SECONDS,
      ...(record === 'record-from-answer' ? { record: true } : {}),
      ...(statusCallback ? { statusCallback, statusCallbackMethod: 'POST' } : {}),
    }),
  );
  await mergeTaskAttributes(deps.engine, instruction.workspaceSid, instruction.task.sid, { worker_call_sid: call.sid });
  return { acceptNow };
}

/** `redirect`: a live call (RedirectCallSid) runs the TwiML at RedirectUrl; RedirectAccept=true accepts at once. */
export async function redirect(deps: TelephonyDeps, instruction: TelephonyInstruction): Promise<{ acceptNow: boolean }> {
  const params = new InstructionParams(instruction.params);
  const callSid = params.text('RedirectCallSid')!;
  if (!/^CA[0-9a-fA-F]{32}$/.test(callSid)) throw badRequest(`RedirectCallSid must be a Call SID (CA…), got '${callSid}'`);
  const url = params.url('RedirectUrl')!;
  const acceptNow = params.bool('RedirectAccept') ?? false;
  await twilioRest('redirect the call', () => deps.client.calls(callSid).update({ url, method: 'POST' }));
  return { acceptNow };
}

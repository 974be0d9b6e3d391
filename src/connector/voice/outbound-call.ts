import { callForBrowserAgent } from './browser-agent.js';
import { browserAgentIdentity } from './browser-agent-leg.js';
import { badRequest } from '../../core/errors.js';
import { mergeTaskAttributes } from '../task-attributes.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { agentAddress } from './agent-address.js';
import { DEFAULT_DEQUEUE_TIMEOUT } from './phone-agent.js';
import { InstructionParams } from './instruction-params.js';
import { twilioRest } from '../twilio/rest-failure.js';
import type { TelephonyDeps } from './telephony-deps.js';

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
      timeout: params.int('CallTimeout', 1, 999) ?? DEFAULT_DEQUEUE_TIMEOUT,
      ...(record === 'record-from-answer' ? { record: true } : {}),
      ...(statusCallback ? { statusCallback, statusCallbackMethod: 'POST' } : {}),
    }),
  );
  await mergeTaskAttributes(deps.engine, instruction.workspaceSid, instruction.task.sid, { worker_call_sid: call.sid });
  return { acceptNow };
}

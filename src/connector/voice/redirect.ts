import { badRequest } from '../../core/errors.js';
import type { TelephonyInstruction } from '../../engine/telephony-port.js';
import { InstructionParams } from './instruction-params.js';
import { twilioRest } from '../twilio/rest-failure.js';
import type { TelephonyDeps } from './telephony-deps.js';

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

import { badRequest } from '../../core/errors.js';
import type { TelephonyInstruction, TelephonyPort } from '../../engine/telephony-port.js';
import { conference } from './conference-agent.js';
import { dequeue } from './phone-agent.js';
import { outboundCall, redirect } from './call-instructions.js';
import { supervise } from './supervisor.js';
import type { TelephonyDeps } from './telephony-deps.js';

/**
 * The engine's telephony port: hands each reservation instruction to its call flow — `dequeue` to an agent's phone
 * (phone-agent.ts) or browser (browser-agent.ts), `conference` (conference-agent.ts), `call` and `redirect`
 * (call-instructions.ts), `supervise` (supervisor.ts). The flows place, move and bridge calls through Twilio's Voice REST API with plain Voice
 * primitives, never Twilio-hosted TaskRouter attributes. A REST failure is thrown as a Twilio-format error
 * before the engine records anything, so the reservation stays as it was.
 */
export class VoiceTelephony implements TelephonyPort {
  constructor(private readonly deps: TelephonyDeps) {}

  execute(instruction: TelephonyInstruction): Promise<{ acceptNow: boolean }> {
    switch (instruction.instruction) {
      case 'dequeue':
        return dequeue(this.deps, instruction);
      case 'call':
        return outboundCall(this.deps, instruction);
      case 'redirect':
        return redirect(this.deps, instruction);
      case 'conference':
        return conference(this.deps, instruction);
      case 'supervise':
        return supervise(this.deps, instruction);
      default:
        throw badRequest(`The ${instruction.instruction} instruction is not supported by the voice connector`);
    }
  }
}

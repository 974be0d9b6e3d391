import type { VoiceOutcome } from '../src/connector/voice/outcomes.js';
import { agentBridgeTwiml, agentMissedTwiml } from './agent-bridge.js';
import { browserAgentTwiml } from './browser-agent.js';
import { conferenceTwiml } from './conference.js';
import { enqueueTwiml } from './enqueue.js';
import { callbackMessageTwiml, voicemailTwiml } from './fallback.js';
import { emptyTwiml, goodbyeTwiml } from './goodbye.js';
import { holdAnnouncement, holdTwiml } from './hold.js';
import { ivrMenuTwiml } from './ivr-menu.js';

/** The TwiML document that has Twilio carry out a call flow's outcome. */
export function voiceOutcomeTwiml(outcome: VoiceOutcome): string {
  switch (outcome.kind) {
    case 'hang-up':
      return goodbyeTwiml(outcome.style, outcome.message);
    case 'carry-on':
      return emptyTwiml();
    case 'ask-menu':
      return ivrMenuTwiml(outcome);
    case 'wait-in-line':
      return enqueueTwiml(outcome);
    case 'hold': {
      const { place } = outcome;
      const announcement = place && holdAnnouncement(place.position, place.estimatedWaitSeconds, { position: place.sayPosition, wait: place.sayWait });
      return holdTwiml({ ...outcome, announcement });
    }
    case 'take-voicemail':
      return voicemailTwiml(outcome.style, outcome.message, outcome.maxSeconds, outcome.actionUrl);
    case 'promise-callback':
      return callbackMessageTwiml(outcome.style, outcome.message);
    case 'bridge-to-queue':
      return agentBridgeTwiml(outcome.queueName, outcome.afterUrl);
    case 'no-longer-yours':
      return agentMissedTwiml();
    case 'join-conference':
      return conferenceTwiml(outcome.name, outcome.settings);
    case 'connect-stream':
      return browserAgentTwiml(outcome);
  }
}

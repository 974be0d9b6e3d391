import { sayAttributes, voiceResponse, type SpeechStyle } from './speech.js';

/** What a caller hears before we hang up, when the connector has nothing else to say. */
export const DEFAULT_GOODBYE = 'Thank you for calling. Goodbye.';

/** Says `message` (when given) and hangs up. */
export function goodbyeTwiml(style: SpeechStyle, message: string | null = DEFAULT_GOODBYE): string {
  const response = voiceResponse();
  if (message) response.say(sayAttributes(style), message);
  response.hangup();
  return response.toString();
}

/** A document with nothing to do: the call carries on with what it was doing (or ends, if it has nothing left). */
export function emptyTwiml(): string {
  return voiceResponse().toString();
}

import { sayAttributes, voiceResponse, type SpeechStyle } from './speech.js';

/** What callers hear when no one can answer and the number has no message of its own. */
export const DEFAULT_FALLBACK_MESSAGE = 'All of our agents are busy right now. We will call you back as soon as possible.';
const DEFAULT_VOICEMAIL_PROMPT = 'All of our agents are busy right now. Please leave a message after the beep, and we will call you back.';

/** Invites the caller to leave a message; the recording is posted to `actionUrl`. */
export function voicemailTwiml(style: SpeechStyle, message: string | null, maxSeconds: number, actionUrl: string): string {
  const response = voiceResponse();
  response.say(sayAttributes(style), message ?? DEFAULT_VOICEMAIL_PROMPT);
  response.record({ action: actionUrl, method: 'POST', maxLength: maxSeconds, playBeep: true, finishOnKey: '#' });
  // Reached only when nothing was recorded: Twilio goes on to the next verb.
  response.hangup();
  return response.toString();
}

/** Tells the caller they will be called back, and hangs up. */
export function callbackMessageTwiml(style: SpeechStyle, message: string | null): string {
  const response = voiceResponse();
  response.say(sayAttributes(style), message ?? DEFAULT_FALLBACK_MESSAGE);
  response.hangup();
  return response.toString();
}

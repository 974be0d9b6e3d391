import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { SpeechStyle } from '../src/connector/voice/outcomes.js';

type SayAttributes = VoiceResponse.SayAttributes;

export type { SpeechStyle };

/** `<Say>` attributes for a style; the values are the operator's, passed through as configured. */
export function sayAttributes(style: SpeechStyle): SayAttributes {
  const attributes: SayAttributes = { language: style.language as SayAttributes['language'] };
  if (style.voice) attributes.voice = style.voice as SayAttributes['voice'];
  return attributes;
}

/** A new TwiML voice document. */
export function voiceResponse(): VoiceResponse {
  return new twilio.twiml.VoiceResponse();
}

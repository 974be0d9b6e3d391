import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { IvrMenuRecord } from '../src/core/model.js';
import { sayAttributes, voiceResponse, type SpeechStyle } from './speech.js';

type GatherAttributes = VoiceResponse.GatherAttributes;

export interface IvrMenuDocument {
  menu: Pick<IvrMenuRecord, 'prompt' | 'playUrl' | 'input' | 'numDigits' | 'timeout' | 'options'>;
  style: SpeechStyle;
  /** Where the answer goes; fetched again without one when the caller says nothing. */
  actionUrl: string;
  /** Said before the menu, e.g. after an answer that matched nothing. */
  notice?: string;
}

/**
 * A menu: the prompt inside `<Gather>` (so a caller may answer while it plays), then a `<Redirect>` to the same
 * action for a caller who answered nothing — Twilio falls through to it when the gather times out empty.
 */
export function ivrMenuTwiml({ menu, style, actionUrl, notice }: IvrMenuDocument): string {
  const response = voiceResponse();
  if (notice) response.say(sayAttributes(style), notice);
  const attributes: GatherAttributes = {
    input: menu.input,
    action: actionUrl,
    method: 'POST',
    timeout: menu.timeout,
    language: style.language as GatherAttributes['language'],
  };
  if (menu.input.includes('dtmf')) attributes.numDigits = menu.numDigits;
  if (menu.input.includes('speech')) {
    const hints = menu.options.flatMap((o) => o.speech);
    if (hints.length > 0) attributes.hints = hints.join(', ');
    attributes.speechTimeout = 'auto';
  }
  const gather = response.gather(attributes);
  if (menu.playUrl) gather.play(menu.playUrl);
  if (menu.prompt) gather.say(sayAttributes(style), menu.prompt);
  response.redirect({ method: 'POST' }, actionUrl);
  return response.toString();
}

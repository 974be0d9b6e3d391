/** A track of a call: `inbound` is the caller's side of the leg, `outbound` what the leg hears. */
export type Track = 'inbound' | 'outbound';

/** One frame of μ-law audio (base64, passed through untouched), as a Media Stream numbers it. */
export interface AudioFrame {
  track: Track;
  chunk: string;
  timestamp: string;
  payload: string;
}

/** The messages Twilio sends on a Media Stream that the connector acts on. */
export type TwilioStreamMessage =
  | { event: 'connected' }
  | { event: 'start'; streamSid: string; callSid: string; tracks: Track[]; customParameters: Record<string, unknown> }
  | { event: 'media'; frame: AudioFrame }
  | { event: 'mark'; name: string }
  | { event: 'dtmf'; digit: string }
  | { event: 'stop' }
  /** An event this connector has no use for (Twilio may add some): ignored, not an error. */
  | { event: 'other' };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses one text frame of a Media Stream; a string says what is wrong with it. */
export function readTwilioMessage(text: string): TwilioStreamMessage | string {
  let message: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'not a JSON object';
    message = parsed as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  const part = (name: string): Record<string, unknown> => {
    const value = message[name];
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  };
  switch (message.event) {
    case 'connected':
      return { event: 'connected' };
    case 'start': {
      const start = part('start');
      const streamSid = start.streamSid ?? message.streamSid;
      const tracks = Array.isArray(start.tracks) ? start.tracks.filter((t): t is Track => t === 'inbound' || t === 'outbound') : [];
      if (typeof streamSid !== 'string' || typeof start.callSid !== 'string') return 'start without streamSid or callSid';
      const parameters = start.customParameters;
      const customParameters = parameters && typeof parameters === 'object' && !Array.isArray(parameters) ? (parameters as Record<string, unknown>) : {};
      return { event: 'start', streamSid, callSid: start.callSid, tracks, customParameters };
    }
    case 'media': {
      const media = part('media');
      const { track, chunk, timestamp, payload } = media;
      if ((track !== 'inbound' && track !== 'outbound') || typeof payload !== 'string' || !BASE64.test(payload))
        return 'media without a track or a base64 payload';
      return { event: 'media', frame: { track, chunk: String(chunk ?? ''), timestamp: String(timestamp ?? ''), payload } };
    }
    case 'mark': {
      const name = part('mark').name;
      return typeof name === 'string' ? { event: 'mark', name } : 'mark without a name';
    }
    case 'dtmf': {
      const digit = part('dtmf').digit;
      return typeof digit === 'string' ? { event: 'dtmf', digit } : 'dtmf without a digit';
    }
    case 'stop':
      return { event: 'stop' };
    default:
      return typeof message.event === 'string' ? { event: 'other' } : 'no event';
  }
}

/** True for base64 text: what a `media` payload must be. */
export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

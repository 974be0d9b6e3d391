import { isBase64 } from './stream-protocol.js';

/**
 * What a browser agent sends on `/v1/Connector/AgentAudio`: its microphone's audio as base64 raw μ-law at 8 kHz
 * (no header, any length up to a second), marks and clears passed through to Twilio, and `hangup`.
 */
export type AgentMessage = { event: 'media'; payload: string } | { event: 'mark'; name: string } | { event: 'clear' } | { event: 'hangup' };

/** One second of μ-law as base64: a browser sends audio in far smaller pieces. */
const MAX_PAYLOAD_CHARS = Math.ceil(8000 / 3) * 4;
const MAX_MARK_NAME = 256;

/** Parses one text frame from a browser agent; a string says what is wrong with it. */
export function readAgentMessage(text: string): AgentMessage | string {
  let message: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'expected a JSON object';
    message = parsed as Record<string, unknown>;
  } catch {
    return 'expected JSON text';
  }
  const part = (name: string): Record<string, unknown> => {
    const value = message[name];
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  };
  switch (message.event) {
    case 'media': {
      const payload = part('media').payload;
      if (typeof payload !== 'string' || !isBase64(payload)) return 'media.payload must be base64 μ-law audio';
      if (payload.length > MAX_PAYLOAD_CHARS) return 'media.payload must be at most one second of audio (8000 bytes)';
      return { event: 'media', payload };
    }
    case 'mark': {
      const name = part('mark').name;
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_MARK_NAME) return `mark.name must be 1 to ${MAX_MARK_NAME} characters`;
      return { event: 'mark', name };
    }
    case 'clear':
      return { event: 'clear' };
    case 'hangup':
      return { event: 'hangup' };
    default:
      return 'event must be media, mark, clear or hangup';
  }
}

/** Where Twilio's Media Streams connect (the `<Stream url>` and REST stream URL). */
export const MEDIA_STREAM_PATH = '/webhooks/media';
/** Where a supervisor listens to a task's call. */
export const LISTEN_PATH = '/v1/Connector/Listen';
/** Where a browser agent exchanges a call's audio. */
export const AGENT_AUDIO_PATH = '/v1/Connector/AgentAudio';

/**
 * The WebSocket base URL of the media endpoints: MEDIA_URL when set, else PUBLIC_URL with `ws(s)://` for
 * `http(s)://`. Twilio only streams to `wss://`, so a real deployment has an https PUBLIC_URL or a wss MEDIA_URL.
 */
export function mediaBaseUrl(publicUrl: string, configured: string | null): string {
  const base = configured ?? publicUrl.replace(/^http(s?):\/\//i, 'ws$1://');
  return base.replace(/\/+$/, '');
}

/** The URL Twilio's streams are given, and sign. */
export function mediaStreamUrl(base: string): string {
  return `${base}${MEDIA_STREAM_PATH}`;
}

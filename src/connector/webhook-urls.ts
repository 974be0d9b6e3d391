/** Every follow-up webhook of a call, under `/webhooks/voice/`. */
export type VoiceWebhook =
  | 'menu'
  | 'hold'
  | 'queue-result'
  | 'voicemail'
  | 'agent'
  | 'agent-status'
  | 'agent-dial'
  | 'conference-caller'
  | 'supervisor'
  | 'browser-agent'
  | 'browser-agent-end'
  | 'status';

/** The messaging webhooks Twilio is told about, under `/webhooks/sms/`. */
export type SmsWebhook = 'status';

/**
 * The absolute URL of a webhook under `/webhooks/<segment>`, carrying state in its query. Twilio signs the URL it
 * fetches, query included, so the state comes back untampered, and any instance can serve it.
 */
function webhookUrl(publicUrl: string, segment: 'voice' | 'sms', webhook: string | null, query: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/${segment}${webhook ? `/${webhook}` : ''}${text ? `?${text}` : ''}`;
}

/** The absolute URL Twilio is told to fetch for a step of a call, carrying the call's state in its query. */
export function voiceWebhookUrl(publicUrl: string, webhook: VoiceWebhook | null, query: Record<string, string | number | undefined> = {}): string {
  return webhookUrl(publicUrl, 'voice', webhook, query);
}

/** The absolute URL of a messaging webhook, with state in its query. */
export function smsWebhookUrl(publicUrl: string, webhook: SmsWebhook | null, query: Record<string, string> = {}): string {
  return webhookUrl(publicUrl, 'sms', webhook, query);
}

/**
 * A webhook URL's query as `webhookUrl` wrote it: one string per key. A key given twice or nested (`a[b]=`) was not
 * written by us, and reads as absent rather than as an array or object passed on to the store.
 */
export function stateOf(query: Record<string, unknown>): Record<string, string | undefined> {
  const state: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string') state[key] = value;
  return state;
}

/** A JSON value as URL-safe text for a query parameter. */
export function encodeState(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The value `encodeState` wrote, or `fallback` when the text is missing or not what it wrote. */
export function decodeState<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as T;
  } catch {
    return fallback;
  }
}

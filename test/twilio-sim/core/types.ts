/** Twilio's call statuses (`CallStatus`, `DialCallStatus`, the Call resource's `status`). */
export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

/** `DialCallStatus`: a call status, or `answered` for a `<Dial><Conference>`. */
export type DialCallStatus = CallStatus | 'answered';

/** Statuses a call never leaves. */
export const TERMINAL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];

/** `Direction` as Twilio reports it. */
export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

/** Who or what ended a call. */
export type HangupSource =
  /** The test hung the leg up (`call.hangUp()`, `agent.hangUp()`). */
  | 'caller'
  /** `<Hangup>`, `<Reject>` or the end of the TwiML. */
  | 'twiml'
  /** `Status=completed|canceled` through the REST API. */
  | 'api'
  /** The called endpoint never answered, was busy, or could not be reached. */
  | 'callee'
  /** The other side of a bridge left, and this leg exists only for that bridge. */
  | 'bridge'
  /** A fetch or TwiML error ended the call, as Twilio does after an application error. */
  | 'error'
  /** The simulator stopped. */
  | 'shutdown';

/** `QueueResult` values from the `<Enqueue>` documentation. */
export type QueueResult =
  'bridged' | 'bridging-in-process' | 'error' | 'hangup' | 'leave' | 'redirected' | 'redirected-from-bridged' | 'queue-full' | 'system-error';

/** Why the simulator made an HTTP request to the application. */
export type RequestPurpose =
  | 'voice'
  | 'redirect'
  | 'gather-action'
  | 'enqueue-action'
  | 'wait-url'
  | 'dial-action'
  | 'queue-url'
  | 'whisper-url'
  | 'conference-wait-url'
  | 'conference-hold-url'
  | 'connect-action'
  | 'status-callback'
  | 'conference-status-callback'
  | 'stream-status-callback'
  | 'sms'
  | 'message-action'
  | 'message-status-callback';

export type HttpMethod = 'GET' | 'POST';

/** Where the next TwiML comes from: a URL to fetch, or a document given inline (`Twiml=` on the REST API). */
export type FetchTarget = UrlTarget | { twiml: string; purpose: RequestPurpose };

/** A request to make: URL, method, parameters beyond the standard ones, and why. */
export interface UrlTarget {
  url: string;
  method: HttpMethod;
  params?: Record<string, string>;
  purpose: RequestPurpose;
}

/** Location fields Twilio adds for a number it can place (`FromCity`, `ToState`, …). */
export interface Geo {
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
}

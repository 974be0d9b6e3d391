import type { SimEnv } from '../core/env.js';
import { rfc2822 } from '../core/ids.js';
import { TERMINAL_STATUSES, type CallStatus, type HttpMethod } from '../core/types.js';
import type { SimCall } from './call.js';

/** Progress events a call status callback can subscribe to. */
export type ProgressEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

/** A call's status-callback subscription. */
export interface StatusCallbackConfig {
  url: string;
  method: HttpMethod;
  events: ReadonlySet<ProgressEvent>;
}

const EVENTS: readonly ProgressEvent[] = ['initiated', 'ringing', 'answered', 'completed'];

/**
 * Reads `StatusCallbackEvent` values: repeated keys (twilio-node sends one per event) or one space-separated string
 * (TwiML attributes). Twilio subscribes to `completed` alone when none are given.
 */
export function parseProgressEvents(raw: readonly string[] | string | undefined): Set<ProgressEvent> | string {
  const words = (typeof raw === 'string' ? [raw] : (raw ?? [])).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
  if (!words.length) return new Set(['completed']);
  const unknown = words.find((w) => !EVENTS.includes(w as ProgressEvent));
  if (unknown) return unknown;
  return new Set(words as ProgressEvent[]);
}

function eventFor(status: CallStatus): ProgressEvent | null {
  if (status === 'initiated' || status === 'ringing') return status;
  if (status === 'in-progress') return 'answered';
  if (TERMINAL_STATUSES.includes(status)) return 'completed';
  return null;
}

const SIP_CODES: Partial<Record<CallStatus, string>> = {
  completed: '200',
  busy: '486',
  'no-answer': '487',
  canceled: '487',
  failed: '404',
};

/**
 * Sends the progress callback for `status` if the call subscribed to it. Parameters are captured now (the state at the
 * event) and callbacks of one call go out one after another, in sequence-number order.
 */
export function emitCallProgress(env: SimEnv, call: SimCall, status: CallStatus): void {
  const config = call.statusCallback;
  const event = eventFor(status);
  if (!config || !event || !config.events.has(event)) return;
  const params: Record<string, string> = {
    ...call.params(),
    CallStatus: status,
    CallbackSource: 'call-progress-events',
    SequenceNumber: String(call.callbackSequence++),
    Timestamp: rfc2822(env.clock.now()),
  };
  if (event === 'completed') {
    const seconds = call.durationSeconds;
    params.CallDuration = String(seconds);
    params.Duration = String(Math.ceil(seconds / 60));
    params.SipResponseCode = SIP_CODES[status] ?? '200';
  }
  const send = () => env.webhook(call.sid, 'status-callback', config.method, config.url, params);
  call.callbackChain = call.callbackChain.then(send, send);
  env.background(call.callbackChain);
}

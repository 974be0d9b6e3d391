import type { CallStatus } from './types.js';

/** Options for {@link startTwilioSim}. Only the credentials are required. */
export interface TwilioSimOptions {
  /** The account the REST API serves (`AC…`); also `AccountSid` in every webhook. */
  accountSid: string;
  /** Signs every webhook and checks REST Basic auth. */
  authToken: string;
  /**
   * Simulated milliseconds per real millisecond (default 100: a 5 s `<Gather>` timeout takes 50 ms). 0 freezes
   * simulated time; then only `sim.advance(ms)` moves it, for fully deterministic tests.
   */
  clockSpeed?: number;
  /** Simulated milliseconds per character of `<Say>` text (default 60, about 150 words a minute). */
  sayMsPerChar?: number;
  /** Simulated length of one `<Play>` of an audio file (default 3000). */
  playMs?: number;
  /**
   * Least simulated time between two fetches of an `<Enqueue waitUrl>` or `<Conference waitUrl>` (default 1000), so a
   * hold document that finishes instantly cannot spin the loop.
   */
  waitLoopMinMs?: number;
  /** Real milliseconds to wait for the application's answer to a webhook (Twilio: 15 s). */
  webhookTimeoutMs?: number;
  /** Real milliseconds between two Media Streams frames per track (default 20; 0: frames only when pushed). */
  mediaFrameIntervalMs?: number;
  /** What dialing an address with no registered agent does (default `failed`, the fastest way to notice). */
  unknownEndpoint?: Extract<CallStatus, 'failed' | 'no-answer' | 'busy'>;
  /** Delivery states reported to a REST message's StatusCallback, in order (default queued, sent, delivered). */
  messageStatusProgression?: readonly string[];
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
}

export type ResolvedOptions = Required<TwilioSimOptions>;

export function resolveOptions(o: TwilioSimOptions): ResolvedOptions {
  if (!/^AC[0-9a-fA-F]{32}$/.test(o.accountSid)) throw new Error('accountSid must look like AC followed by 32 hex digits');
  if (!o.authToken) throw new Error('authToken is required');
  return {
    accountSid: o.accountSid,
    authToken: o.authToken,
    clockSpeed: o.clockSpeed ?? 100,
    sayMsPerChar: o.sayMsPerChar ?? 60,
    playMs: o.playMs ?? 3000,
    waitLoopMinMs: o.waitLoopMinMs ?? 1000,
    webhookTimeoutMs: o.webhookTimeoutMs ?? 15_000,
    mediaFrameIntervalMs: o.mediaFrameIntervalMs ?? 20,
    unknownEndpoint: o.unknownEndpoint ?? 'failed',
    messageStatusProgression: o.messageStatusProgression ?? ['queued', 'sent', 'delivered'],
    host: o.host ?? '127.0.0.1',
  };
}

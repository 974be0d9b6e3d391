import type { Scope } from '../core/scope.js';
import type { HttpMethod, RequestPurpose } from '../core/types.js';
import type { VoiceContext } from '../twiml/schema.js';
import type { SimCall } from './call.js';
import type { VerbContext } from './program.js';

/** What Twilio plays when no waitUrl is given: its classical playlist, looped for as long as the wait lasts. */
export const DEFAULT_HOLD_MUSIC = 'https://s3.amazonaws.com/com.twilio.sounds.music/index.xml';

/** Where hold audio comes from. */
export interface HoldSource {
  /** The waitUrl attribute as written (undefined: Twilio's music; empty: silence), resolved by the caller. */
  url: string | undefined;
  method: HttpMethod;
  purpose: RequestPurpose;
  context: VoiceContext;
  /** Parameters for each fetch, computed fresh each time (queue position changes while waiting). */
  params: () => Record<string, string>;
}

/**
 * Plays hold audio until `scope` is interrupted: Twilio's default music, silence, or a waitUrl document fetched again
 * each time it runs out of verbs, never more often than `waitLoopMinMs` of simulated time. Returns only when a
 * document says `<Leave>`.
 */
export async function holdLoop(x: VerbContext, call: SimCall, scope: Scope, source: HoldSource): Promise<'leave'> {
  const { env } = x;
  if (source.url === undefined || source.url.trim() === '') {
    if (source.url === undefined) {
      env.record(call.sid, { type: 'heard', kind: 'play', text: DEFAULT_HOLD_MUSIC, loop: 0, durationMs: null });
    }
    return scope.race(new Promise<never>(() => {}));
  }
  for (;;) {
    const started = env.clock.now();
    const end = await x.runChain(call, scope, { url: source.url, method: source.method, params: source.params(), purpose: source.purpose }, source.context);
    if (end.kind === 'leave') return 'leave';
    // `<Hangup>` ended the call, which interrupted this scope; surface that interruption.
    scope.throwIfAborted();
    const elapsed = env.clock.now() - started;
    if (elapsed < env.options.waitLoopMinMs) await env.clock.sleep(env.options.waitLoopMinMs - elapsed, scope.signal);
  }
}

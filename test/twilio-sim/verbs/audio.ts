import type { SimEnv } from '../core/env.js';
import type { Scope } from '../core/scope.js';
import type { TwimlNode } from '../twiml/parse.js';
import type { SimCall } from '../voice/call.js';
import { NEXT, type VerbHandler } from '../voice/program.js';

/** All the words in a `<Say>`, SSML markup flattened. */
function spokenText(node: TwimlNode): string {
  const parts = [node.text, ...node.children.map(spokenText)].filter(Boolean);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

function loopOf(node: TwimlNode): number {
  return node.attributes.loop === undefined ? 1 : Number(node.attributes.loop);
}

/**
 * Plays a prompt to the party: logs what was heard, then lets its simulated duration pass. `loop="0"` plays until
 * something interrupts (hold music). With `stopOnInput`, input from the party cuts it short (Gather barge-in) and the
 * function returns true.
 */
export async function playPrompt(env: SimEnv, call: SimCall, scope: Scope, node: TwimlNode, stopOnInput = false): Promise<boolean> {
  let heard: { kind: 'say' | 'play' | 'digits' | 'pause'; text: string; unitMs: number };
  switch (node.name) {
    case 'Say': {
      const text = spokenText(node);
      heard = { kind: 'say', text, unitMs: Math.max(500, text.length * env.options.sayMsPerChar) };
      break;
    }
    case 'Play':
      heard =
        node.attributes.digits !== undefined
          ? { kind: 'digits', text: node.attributes.digits, unitMs: node.attributes.digits.length * 100 }
          : { kind: 'play', text: node.text, unitMs: env.options.playMs };
      break;
    default:
      heard = { kind: 'pause', text: '', unitMs: Number(node.attributes.length ?? 1) * 1000 };
  }
  const loop = node.name === 'Pause' ? 1 : loopOf(node);
  const durationMs = loop === 0 ? null : heard.unitMs * loop;
  env.record(call.sid, {
    type: 'heard',
    kind: heard.kind,
    text: heard.text,
    ...(node.attributes.voice !== undefined && { voice: node.attributes.voice }),
    ...(node.attributes.language !== undefined && { language: node.attributes.language }),
    loop,
    durationMs,
  });
  if (stopOnInput) {
    const arrived = await call.inputs.whenAvailable(scope, env.clock, durationMs);
    return arrived;
  }
  if (durationMs === null) await scope.race(new Promise<never>(() => {}));
  else await env.clock.sleep(durationMs, scope.signal);
  return false;
}

/** `<Say>`, `<Play>`, `<Pause>`. */
export const audioVerb: VerbHandler = async ({ env, call, scope, verb }) => {
  await playPrompt(env, call, scope, verb);
  return NEXT;
};

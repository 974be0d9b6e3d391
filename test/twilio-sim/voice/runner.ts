import type { SimEnv } from '../core/env.js';
import { isInterrupt, Scope } from '../core/scope.js';
import type { FetchTarget } from '../core/types.js';
import type { TwimlNode } from '../twiml/parse.js';
import type { VoiceContext } from '../twiml/schema.js';
import { UNSUPPORTED_VERB, VERBS } from '../verbs/index.js';
import type { SimCall } from './call.js';
import { FetchFailure, loadDocument } from './fetch.js';
import type { ChainEnd, VerbContext } from './program.js';
import { emitCallProgress } from './status-callbacks.js';

/**
 * How a leg's life starts: fetch TwiML, or a custom first act (placing a REST call, ringing and bridging a `<Dial>`
 * child) which may hand over to TwiML by returning where to fetch it.
 */
export type Program = { kind: 'fetch'; target: FetchTarget } | { kind: 'custom'; run: (scope: Scope) => Promise<FetchTarget | void> };

// A call that keeps redirecting without doing anything else is a bug in the application; stop it like Twilio would.
const MAX_DOCUMENTS_PER_CHAIN = 500;

const APPLICATION_ERROR = 'We are sorry, an application error has occurred. Goodbye.';

/** Twilio answers an inbound call when TwiML starts doing something, except to reject it or to ring on a bridge. */
function answersCall(verb: TwimlNode): boolean {
  if (verb.name === 'Reject') return false;
  if (verb.name === 'Dial' && verb.attributes.answerOnBridge === 'true') return false;
  return true;
}

/** Runs documents starting at `target` until one runs out of verbs, or a verb hangs up or leaves a queue. */
export function makeChainRunner(env: SimEnv): VerbContext['runChain'] {
  const spawn = (call: SimCall, run: (scope: Scope) => Promise<void>) => env.background(runCall(env, call, { kind: 'custom', run }));

  const runChain = async (call: SimCall, scope: Scope, target: FetchTarget, context: VoiceContext): Promise<ChainEnd> => {
    let next: FetchTarget | null = target;
    for (let documents = 0; next; documents++) {
      if (documents >= MAX_DOCUMENTS_PER_CHAIN) {
        env.record(call.sid, { type: 'error', code: 11200, message: `more than ${MAX_DOCUMENTS_PER_CHAIN} documents in a row` });
        throw new FetchFailure(11200, 'redirect loop');
      }
      const doc = await loadDocument(env, call, scope, next, context);
      next = null;
      for (const verb of doc.document.verbs) {
        scope.throwIfAborted();
        if (context === 'call' && !call.answered && answersCall(verb)) call.answer();
        env.record(call.sid, { type: 'verb', verb: verb.name, attributes: { ...verb.attributes }, text: verb.text });
        const handler = VERBS[verb.name] ?? UNSUPPORTED_VERB;
        const outcome = await handler({ env, call, scope, verb, doc, context, runChain, spawn });
        if (outcome.kind === 'goto') {
          next = outcome.target;
          break;
        }
        if (outcome.kind !== 'next') return outcome;
      }
    }
    return { kind: 'end' };
  };
  return runChain;
}

/**
 * Runs a leg from its first program to its end: REST redirects start new programs, TwiML running out hangs up, an
 * application error plays Twilio's apology and hangs up. Once over, the final status callback is sent and
 * `call.finished` resolves.
 */
export async function runCall(env: SimEnv, call: SimCall, first: Program): Promise<void> {
  const runChain = makeChainRunner(env);
  let program: Program | null = first;
  try {
    while (program && !call.ended) {
      const scope = new Scope();
      call.scope = scope;
      const current: Program = program;
      program = null;
      try {
        if (current.kind === 'fetch') await runChain(call, scope, current.target, 'call');
        else {
          const then = await current.run(scope);
          if (then && !call.ended) {
            program = { kind: 'fetch', target: then };
            continue;
          }
        }
        if (!call.ended) call.end('twiml');
      } catch (err) {
        if (isInterrupt(err)) {
          const interrupt = err.interrupt;
          if (interrupt.kind === 'redirect' && !call.ended) program = { kind: 'fetch', target: interrupt.target };
        } else if (err instanceof FetchFailure) {
          if (!call.ended) {
            // Twilio picks up to apologise, so the call ends completed rather than unanswered.
            call.answer();
            env.record(call.sid, { type: 'heard', kind: 'say', text: APPLICATION_ERROR, loop: 1, durationMs: 3000 });
            call.end('error');
          }
        } else {
          const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
          env.record(call.sid, { type: 'error', code: 0, message: `simulator fault: ${message}` });
          call.end('error');
        }
      } finally {
        scope.dispose();
      }
    }
  } finally {
    if (!call.ended) call.end('shutdown');
    emitCallProgress(env, call, call.status);
    await call.callbackChain.catch(() => {});
    call.done.resolve();
  }
}

import type { SimEnv } from '../core/env.js';
import type { Scope } from '../core/scope.js';
import type { FetchTarget } from '../core/types.js';
import type { TwimlNode } from '../twiml/parse.js';
import type { VoiceContext } from '../twiml/schema.js';
import type { SimCall } from './call.js';
import type { LoadedDoc } from './fetch.js';

/** What a verb tells the document runner to do next. */
export type VerbOutcome =
  | { kind: 'next' }
  /** Replace the current document (an action URL's answer, `<Redirect>`). */
  | { kind: 'goto'; target: FetchTarget }
  /** The call is over (`<Hangup>`, `<Reject>`). */
  | { kind: 'hangup' }
  /** `<Leave>`: stop the hold loop and leave the queue. */
  | { kind: 'leave' };

/** How a chain of documents finished. */
export type ChainEnd = { kind: 'end' } | { kind: 'hangup' } | { kind: 'leave' };

/** Runs documents from `target` on `call` until one runs out of verbs or a verb ends or leaves. */
export type ChainRunner = (call: SimCall, scope: Scope, target: FetchTarget, context: VoiceContext) => Promise<ChainEnd>;

/** Everything a verb handler works with. */
export interface VerbContext {
  env: SimEnv;
  call: SimCall;
  /** Interrupted when the call hangs up or is redirected; the handler reacts and rethrows. */
  scope: Scope;
  verb: TwimlNode;
  /** The document the verb belongs to (for relative URLs and Gather's default action). */
  doc: LoadedDoc;
  context: VoiceContext;
  runChain: ChainRunner;
  /** Starts a new leg (a `<Dial>` child) whose life begins with `program`; REST redirects then take it from there. */
  spawn: (call: SimCall, program: (scope: Scope) => Promise<void>) => void;
}

export type VerbHandler = (x: VerbContext) => Promise<VerbOutcome>;

export const NEXT: VerbOutcome = { kind: 'next' };

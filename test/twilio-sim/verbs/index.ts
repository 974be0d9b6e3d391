import type { VerbHandler } from '../voice/program.js';
import { audioVerb } from './audio.js';
import { dialVerb } from './dial.js';
import { enqueueVerb } from './enqueue.js';
import { hangupVerb, leaveVerb, redirectVerb, rejectVerb, unsupportedVerb } from './flow.js';
import { gatherVerb } from './gather.js';
import { connectVerb, startVerb, stopVerb } from './streams.js';

/** Voice verbs by name; valid verbs missing here are skipped with a warning. */
export const VERBS: Readonly<Record<string, VerbHandler>> = {
  Say: audioVerb,
  Play: audioVerb,
  Pause: audioVerb,
  Gather: gatherVerb,
  Redirect: redirectVerb,
  Hangup: hangupVerb,
  Reject: rejectVerb,
  Leave: leaveVerb,
  Enqueue: enqueueVerb,
  Dial: dialVerb,
  Start: startVerb,
  Stop: stopVerb,
  Connect: connectVerb,
};

export const UNSUPPORTED_VERB = unsupportedVerb;

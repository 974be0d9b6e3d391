import { CommitConflict } from '../../core/errors.js';
import type { CommitReply } from './scripts.js';

const RECORD_CHANGED = -1;
const UNIQUE_KEY_HELD = -2;
/** The commit's earliest timer must be announced in the timer registry first; the caller does so and retries. */
export const TIMER_NOT_ANNOUNCED = -3;

/**
 * Turns a script's negative return code into the typed error it stands for; the one place codes are read.
 * A positive reply passes through.
 */
export function throwOnScriptFailure(reply: CommitReply): void {
  const [code, subject, current] = reply;
  if (code >= 0) return;
  switch (code) {
    case RECORD_CHANGED:
      throw new CommitConflict(`${subject} is at version ${current || 'none'}`);
    case UNIQUE_KEY_HELD:
      throw new CommitConflict(`${subject} is taken by ${current}`);
    default:
      throw new Error(`Unknown script return code ${code}`);
  }
}

import type { Companions } from '../store/memory/memory-store.js';
import type { LeftEntry } from './memory-outbox.js';

/**
 * Callbacks an in-process outbox had not delivered when the server stopped, kept in the embedded store's journal so
 * the next run delivers them (a deploy or restart loses none). What is kept is written once, at a clean stop; the
 * next run takes it over and notes so, so a later crash does not deliver it twice. A crash of the process itself
 * still loses what was waiting: keeping every event's delivery in the journal would double what each commit writes.
 */
export function keepAcrossRestarts(companions: Companions, name: string): { left: LeftEntry[]; leaveBehind: (left: LeftEntry[]) => void } {
  let left: LeftEntry[] = [];
  const record = companions.register<LeftEntry[], LeftEntry[]>(name, {
    // What a running outbox holds is its own until it stops; a snapshot keeps only what is still to be taken over.
    snapshot: () => [],
    restore: (state) => (left = state),
    replay: (entry) => (left = entry),
  });
  if (left.length > 0) record([]);
  return { left, leaveBehind: (entries) => entries.length > 0 && record(entries) };
}

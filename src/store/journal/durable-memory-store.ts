import { MemoryStore, type Companion, type MemoryStoreOptions, type MemoryStoreSnapshot, type StoreChange } from '../memory/memory-store.js';
import { Journal, type JournalOptions } from './journal.js';
import { snapshotPieces } from './snapshot-pieces.js';
import { log } from '../../telemetry/log.js';

/** What the journal holds for a companion that has not registered (yet) in this run: carried over untouched. */
interface CompanionHeld {
  state: unknown;
  entries: unknown[];
}

/** A journal line: a change of the routing store's, or one of a companion's. */
type DurableEntry = StoreChange | { companion: [name: string, entry: unknown] };

/** A snapshot: the routing store's state and each companion's. */
interface DurableSnapshot {
  routing: MemoryStoreSnapshot;
  companions: Record<string, CompanionHeld>;
}

/**
 * The embedded store kept in a data directory: the memory store, rebuilt at start from the directory's snapshot and
 * the changes journaled after it, with every change it applies journaled before it is acknowledged. Routing runs at
 * memory speed; the journal costs one JSON line and one write per commit (docs/performance.md, "The durable
 * embedded store"). State kept beside it (the connector's) registers as a companion and shares the journal.
 */
export function openDurableMemoryStore(dir: string, options: MemoryStoreOptions & JournalOptions = {}): MemoryStore {
  const { journal, snapshot, entries } = Journal.open<DurableEntry, DurableSnapshot>(dir, { onSnapshotFailed: reportSnapshotFailure, ...options });
  const store = snapshot ? MemoryStore.restore(snapshot.routing, options) : new MemoryStore(options);
  const held = new Map<string, CompanionHeld>(Object.entries(snapshot?.companions ?? {}));
  for (const entry of entries) {
    if ('companion' in entry) heldFor(held, entry.companion[0]).entries.push(entry.companion[1]);
    else store.replay(entry);
  }
  const registered = new Map<string, Companion<unknown, unknown>>();

  // The state as it stands is taken here (the store's stored objects are never changed in place, so taking them is
  // cheap) and written out while routing goes on.
  const compactIfDue = () => {
    if (!journal.compactionDue) return;
    const companions: Record<string, CompanionHeld> = Object.fromEntries(held);
    for (const [name, companion] of registered) companions[name] = { state: companion.snapshot(), entries: [] };
    void journal.compact(snapshotPieces(store.snapshot(), JSON.stringify(companions)));
  };
  store.changeLog = {
    record(change) {
      journal.append(change);
      compactIfDue();
    },
    close: () => journal.close(),
  };
  store.companions = {
    register<State, Entry>(name: string, companion: Companion<State, Entry>) {
      if (registered.has(name)) throw new Error(`${name} is kept in this store's journal already`);
      const kept = held.get(name);
      if (kept) {
        if (kept.state !== null) companion.restore(kept.state as State);
        for (const entry of kept.entries) companion.replay(entry as Entry);
        held.delete(name);
      }
      registered.set(name, companion);
      return (entry: Entry) => {
        journal.append({ companion: [name, entry] });
        compactIfDue();
      };
    },
  };
  return store;
}

function reportSnapshotFailure(err: unknown): void {
  log.error({ err }, 'the embedded store could not write a snapshot (its journal keeps everything; the next one tries again)');
}

function heldFor(held: Map<string, CompanionHeld>, name: string): CompanionHeld {
  let kept = held.get(name);
  if (!kept) held.set(name, (kept = { state: null, entries: [] }));
  return kept;
}

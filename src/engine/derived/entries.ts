import type { CounterGroup, IndexName } from './schema.js';

/** Where the difference between two sets of derived entries goes (a Change, a consistency check). */
export interface EntrySink {
  /** A member enters (`add`) or leaves (`remove`) an index. */
  index(op: 'add' | 'remove', index: IndexName, member: string): void;
  /** A counter gains or loses one. */
  count(group: CounterGroup, key: string, delta: 1 | -1): void;
}

/**
 * What one record contributes to the derived state as an indexer computes it: the index members it stands for and
 * the counters it counts one in. Moving a record from one state to another moves the difference of its two entries.
 */
export class DerivedEntries {
  private readonly members = new Map<IndexName, Set<string>>();
  private readonly counters = new Map<CounterGroup, Set<string>>();

  /** The record stands for `member` in `index`. */
  member(index: IndexName, member: string): void {
    add(this.members, index, member);
  }

  /** The record counts one in counter `key` of `group`. */
  count(group: CounterGroup, key: string): void {
    add(this.counters, group, key);
  }

  /** Calls `sink` for what is in `after` but not here (added) and what is here but not in `after` (removed). */
  diff(after: DerivedEntries, sink: EntrySink): void {
    eachMissing(this.members, after.members, (index, member) => sink.index('remove', index, member));
    eachMissing(this.counters, after.counters, (group, key) => sink.count(group, key, -1));
    eachMissing(after.members, this.members, (index, member) => sink.index('add', index, member));
    eachMissing(after.counters, this.counters, (group, key) => sink.count(group, key, 1));
  }

  /** Whether `after` holds an entry this does not. */
  gainsIn(after: DerivedEntries): boolean {
    let gained = false;
    eachMissing(after.members, this.members, () => (gained = true));
    eachMissing(after.counters, this.counters, () => (gained = true));
    return gained;
  }

  /** Whether both hold the same entries. */
  equals(other: DerivedEntries): boolean {
    return !this.gainsIn(other) && !other.gainsIn(this);
  }

  /** Every entry, as if added to nothing. */
  each(sink: EntrySink): void {
    new DerivedEntries().diff(this, sink);
  }
}

function add<N extends string>(map: Map<N, Set<string>>, name: N, item: string): void {
  const set = map.get(name);
  if (set) set.add(item);
  else map.set(name, new Set([item]));
}

function eachMissing<N extends string>(from: Map<N, Set<string>>, other: Map<N, Set<string>>, visit: (name: N, item: string) => void): void {
  for (const [name, items] of from) {
    const there = other.get(name);
    for (const item of items) if (!there?.has(item)) visit(name, item);
  }
}

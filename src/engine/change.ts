import type { AnyRecord, EventRecord, Kind, RecordByKind } from '../core/model.js';
import type { CommitBatch, IndexWindow, RecordWrite, RoutingStore } from '../store/routing-store.js';

/** Index heads a change reads back with its commit; `windows` is filled in once the commit has landed. */
export interface ReadAfter<K extends Kind> {
  readonly indexes: string[];
  windows?: Array<IndexWindow<K>>;
}

/**
 * One atomic state change under construction: records written against the versions they were read at, index
 * entries added and removed, timers, events. `commit` hands it to the store as a single compare-and-commit.
 */
export class Change {
  private readonly expect = new Map<string, { kind: Kind; sid: string; version: number | null }>();
  private readonly puts = new Map<string, RecordWrite>();
  /** Records this change creates (keys as in `expect`): their sids are minted for them, so nothing is checked. */
  private readonly created = new Set<string>();
  private readonly deletes: Array<{ kind: Kind; sid: string }> = [];
  /** Index entries added or removed, by entry (split into index and member at commit). */
  private readonly indexOps = new Map<string, 'add' | 'remove'>();
  private readonly uniqueOps: NonNullable<CommitBatch['unique']> = [];
  /** Counter moves, by counter entry (split into group and key at commit). */
  private readonly counterOps = new Map<string, number>();
  private readonly timerOps = new Map<string, { op: 'set'; id: string; due: number } | { op: 'clear'; id: string }>();
  readonly events: EventRecord[] = [];
  private readAfterCommit: { kind: Kind; limit: number; read: ReadAfter<Kind> } | undefined;

  constructor(
    readonly workspaceSid: string,
    readonly now: number,
  ) {}

  /**
   * Writes `next` in place of `previous`. The version read is checked at commit; the written record carries the
   * next version and today's dateUpdated. `previous` null creates the record, under a sid freshly minted for it
   * (random, so no other writer can hold it): a creation has nothing to check.
   */
  put<K extends Kind>(kind: K, previous: RecordByKind[K] | null, next: RecordByKind[K]): RecordByKind[K] {
    const key = `${kind}:${next.sid}`;
    if (!this.expect.has(key) && !this.created.has(key)) {
      if (previous === null) this.created.add(key);
      else this.expect.set(key, { kind, sid: next.sid, version: previous.version });
    }
    const base = this.expect.get(key)?.version ?? 0;
    const written = { ...next, version: base + 1, dateUpdated: this.now } as RecordByKind[K];
    this.puts.set(key, { kind, record: written, created: this.created.has(key) } as RecordWrite);
    return written;
  }

  /** Writes a record again unchanged but for its version: marks it changed for readers that cache by version. */
  bump<K extends Kind>(kind: K, record: RecordByKind[K]): void {
    const key = `${kind}:${record.sid}`;
    if (this.puts.has(key) || this.deletes.some((d) => d.kind === kind && d.sid === record.sid)) return;
    const dateUpdated = record.dateUpdated;
    const written = this.put(kind, record, record);
    this.puts.set(key, { kind, record: { ...written, dateUpdated } } as RecordWrite);
  }

  /** The record as this change writes it, if it does. */
  written<K extends Kind>(kind: K, sid: string): RecordByKind[K] | undefined {
    return this.puts.get(`${kind}:${sid}`)?.record as RecordByKind[K] | undefined;
  }

  /** Whether the change writes any of the given kinds. */
  writes(kinds: readonly Kind[]): boolean {
    return [...this.puts.values()].some((w) => kinds.includes(w.kind)) || this.deletes.some((d) => kinds.includes(d.kind));
  }

  /** Checks a record is unchanged at commit without writing it. */
  require(kind: Kind, record: AnyRecord): void {
    const key = `${kind}:${record.sid}`;
    if (!this.expect.has(key) && !this.created.has(key)) this.expect.set(key, { kind, sid: record.sid, version: record.version });
  }

  delete(kind: Kind, record: AnyRecord): void {
    this.require(kind, record);
    this.puts.delete(`${kind}:${record.sid}`);
    this.deletes.push({ kind, sid: record.sid });
  }

  /**
   * Moves a record's entries from `before` to `after`, touching only what differs. Entries are index members
   * ("index\u0000member", see `indexEntry`) or counters the record counts in ("#group\u0000key", see `counterEntry`).
   */
  reindex(before: Set<string>, after: Set<string>): void {
    for (const entry of before) if (!after.has(entry)) this.apply('remove', entry);
    for (const entry of after) if (!before.has(entry)) this.apply('add', entry);
  }

  private apply(op: 'add' | 'remove', entry: string): void {
    if (entry.startsWith('#')) this.count(entry, op === 'add' ? 1 : -1);
    else this.index(op, entry);
  }

  /** Moves a counter that tracks happenings rather than records (reservations per minute, say). */
  increment(group: string, key: string, delta: number): void {
    this.count(counterEntry(group, key), delta);
  }

  private count(entry: string, delta: number): void {
    this.counterOps.set(entry, (this.counterOps.get(entry) ?? 0) + delta);
  }

  /**
   * Entries come from reindexing a record against its state as last read or written, so an add undoes an earlier
   * remove of the same entry within this change (and the reverse): the pair cancels and nothing reaches the store.
   */
  private index(op: 'add' | 'remove', entry: string): void {
    const earlier = this.indexOps.get(entry);
    if (earlier !== undefined && earlier !== op) this.indexOps.delete(entry);
    else this.indexOps.set(entry, op);
  }

  claim(key: string, sid: string): void {
    this.uniqueOps.push({ op: 'claim', key, sid });
  }

  release(key: string, sid: string): void {
    this.uniqueOps.push({ op: 'release', key, sid });
  }

  setTimer(id: string, due: number): void {
    this.timerOps.set(id, { op: 'set', id, due });
  }

  clearTimer(id: string): void {
    this.timerOps.set(id, { op: 'clear', id });
  }

  /**
   * Asks the commit to read the heads of `indexes` once it is applied (see CommitBatch.readAfter); one read per
   * change, so a second ask gets nothing. The windows stay unset when the change commits nothing.
   */
  readAfter<K extends Kind>(kind: K, indexes: string[], limit: number): ReadAfter<K> | undefined {
    if (this.readAfterCommit || indexes.length === 0) return undefined;
    const read: ReadAfter<K> = { indexes };
    this.readAfterCommit = { kind, limit, read };
    return read;
  }

  emit(event: EventRecord): void {
    this.events.push(event);
  }

  get isEmpty(): boolean {
    return this.puts.size === 0 && this.deletes.length === 0 && this.indexOps.size === 0 && this.timerOps.size === 0 && this.counterOps.size === 0;
  }

  async commit(store: RoutingStore): Promise<void> {
    const after = this.readAfterCommit;
    const windows = await store.commit(this.workspaceSid, {
      expect: [...this.expect.values()],
      put: [...this.puts.values()],
      delete: this.deletes,
      index: [...this.indexOps].map(([entry, op]) => {
        const [index, member] = entry.split('\u0000') as [string, string];
        return { op, index, member };
      }),
      unique: this.uniqueOps,
      counters: [...this.counterOps].flatMap(([entry, delta]) => {
        if (delta === 0) return [];
        const [group, key] = entry.slice(1).split('\u0000') as [string, string];
        return [{ group, key, delta }];
      }),
      timers: [...this.timerOps.values()],
      events: this.events,
      ...(after && { readAfter: { kind: after.kind, indexes: after.read.indexes, limit: after.limit } }),
    });
    if (after) after.read.windows = windows;
  }
}

/** An index entry as used by Change.reindex. */
export function indexEntry(index: string, member: string): string {
  return `${index}\u0000${member}`;
}

/** A counter a record counts one in, as used by Change.reindex. */
export function counterEntry(group: string, key: string): string {
  return `#${group}\u0000${key}`;
}

import type { AnyRecord, Kind, RecordByKind } from '../core/model.js';
import type { TaskRouterEvent } from '../core/events/index.js';
import type { CommitBatch, IndexWindow, RecordWrite, RoutingStore } from '../store/routing-store.js';
import { DerivedEntries, type EntrySink } from './derived/entries.js';
import { indexerOf } from './derived/indexers.js';
import type { CounterGroup, IndexName } from './derived/schema.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { markCommitted } from '../telemetry/trace-context.js';

/** A read the commit makes once it is applied, in the same call to the store (heads-read-back.ts). */
export interface CommitRead {
  readonly request: NonNullable<CommitBatch['readAfter']>;
  landed(windows: Array<IndexWindow<Kind>> | undefined): void;
}

/**
 * One atomic state change under construction: records written against the versions they were read at, index
 * members added and removed and counters moved, timers, events. `commit` hands it to the store as a single
 * compare-and-commit.
 *
 * Writing or deleting a record moves its derived state with it: the record kind's indexer (derived/indexers.ts)
 * says what index members and counters the record stands for before and after, and the difference is recorded here,
 * so no writer has to remember it.
 */
export class Change {
  private readonly expect = new Map<string, { kind: Kind; sid: string; version: number | null }>();
  private readonly puts = new Map<string, RecordWrite>();
  /** Records this change creates (keys as in `expect`): their sids are minted for them, so nothing is checked. */
  private readonly created = new Set<string>();
  private readonly deletes: Array<{ kind: Kind; sid: string }> = [];
  /** Index members added or removed, by index and member. */
  private readonly indexOps = new Map<IndexName, Map<string, 'add' | 'remove'>>();
  private readonly uniqueOps: NonNullable<CommitBatch['unique']> = [];
  /** Counter moves, by group and key. */
  private readonly counterOps = new Map<CounterGroup, Map<string, number>>();
  /** The derived entries of each record this change wrote, reindexed or deleted, as it leaves them (keys as in `expect`). */
  private readonly derived = new Map<string, DerivedEntries>();
  /** Where reindexing records puts the members and counters that moved. */
  private readonly moves: EntrySink = {
    index: (op, index, member) => this.index(op, index, member),
    count: (group, key, delta) => this.count(group, key, delta),
  };
  private readonly timerOps = new Map<string, { op: 'set'; id: string; due: number } | { op: 'clear'; id: string }>();
  readonly events: TaskRouterEvent[] = [];
  private commitRead: CommitRead | undefined;
  private readonly onSettled: Array<() => void> = [];
  /** Whether this attempt may take records kept by the recent-writes hint, and whether it did (recent-writes.ts). */
  mayUseHints = false;
  usedHints = false;

  /**
   * `config` is the workspace configuration the change's records are indexed under; a change writing only
   * configuration records (a workspace being created) needs none.
   */
  constructor(
    readonly workspaceSid: string,
    readonly now: number,
    private readonly config: WorkspaceConfig | null = null,
  ) {}

  /**
   * Writes `next` in place of `previous`, moving its index members and counters along. The version read is checked
   * at commit; the written record carries the next version and today's dateUpdated. `previous` null creates the
   * record, under a sid freshly minted for it (random, so no other writer can hold it): a creation has nothing to
   * check. `indexedUnder` is the configuration `previous` was indexed under, when not the change's own (a
   * configuration change re-indexing what the previous one indexed).
   */
  put<K extends Kind>(kind: K, previous: RecordByKind[K] | null, next: RecordByKind[K], indexedUnder?: WorkspaceConfig): RecordByKind[K] {
    const written = this.write(kind, previous, next);
    this.reindex(kind, `${kind}:${next.sid}`, previous, indexedUnder, written, undefined);
    return written;
  }

  private write<K extends Kind>(kind: K, previous: RecordByKind[K] | null, next: RecordByKind[K]): RecordByKind[K] {
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
    const written = this.write(kind, record, record);
    this.puts.set(key, { kind, record: { ...written, dateUpdated } } as RecordWrite);
  }

  /** The record as this change writes it, if it does. */
  written<K extends Kind>(kind: K, sid: string): RecordByKind[K] | undefined {
    return this.puts.get(`${kind}:${sid}`)?.record as RecordByKind[K] | undefined;
  }

  /** The records this change writes, as it writes them. */
  get recordsWritten(): Iterable<RecordWrite> {
    return this.puts.values();
  }

  /** The records this change deletes. */
  get recordsDeleted(): ReadonlyArray<{ kind: Kind; sid: string }> {
    return this.deletes;
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

  /** Deletes a record (checked unchanged at commit), with its index members and counters. */
  delete<K extends Kind>(kind: K, record: RecordByKind[K]): void {
    this.require(kind, record);
    this.puts.delete(`${kind}:${record.sid}`);
    this.deletes.push({ kind, sid: record.sid });
    this.reindex(kind, `${kind}:${record.sid}`, record, undefined, null, undefined);
  }

  /**
   * Re-indexes a record left as it is (checked unchanged at commit) under `config`, the configuration this change
   * is making, in place of the change's own: a queue's new order re-encodes its tasks' pending members.
   */
  reindexUnder<K extends Kind>(kind: K, record: RecordByKind[K], config: WorkspaceConfig): void {
    this.require(kind, record);
    this.reindex(kind, `${kind}:${record.sid}`, record, undefined, record, config);
  }

  /**
   * Records the difference between what a record derives as it was (as this change last left it, else `previous`
   * under `previousConfig`) and as it is now (`next` under `nextConfig`; null: gone).
   */
  private reindex<K extends Kind>(
    kind: K,
    key: string,
    previous: RecordByKind[K] | null,
    previousConfig: WorkspaceConfig | undefined,
    next: RecordByKind[K] | null,
    nextConfig: WorkspaceConfig | undefined,
  ): void {
    const indexer = indexerOf(kind);
    if (!indexer) return;
    const before = this.derived.get(key) ?? (previous ? indexer(previous, previousConfig ?? this.indexConfig()) : new DerivedEntries());
    const after = next ? indexer(next, nextConfig ?? this.indexConfig()) : new DerivedEntries();
    before.diff(after, this.moves);
    this.derived.set(key, after);
  }

  private indexConfig(): WorkspaceConfig {
    if (!this.config) throw new Error('A change writing records that are indexed needs the workspace configuration');
    return this.config;
  }

  /** Moves a counter that tracks happenings rather than records (reservations per minute, say). */
  increment(group: CounterGroup, key: string, delta: number): void {
    this.count(group, key, delta);
  }

  private count(group: CounterGroup, key: string, delta: number): void {
    let keys = this.counterOps.get(group);
    if (!keys) this.counterOps.set(group, (keys = new Map()));
    keys.set(key, (keys.get(key) ?? 0) + delta);
  }

  /**
   * A record's member enters or leaves an index. Members come from reindexing a record
   * against its state as last read or written, so an add undoes an earlier remove of the same member within this
   * change (and the reverse): the pair cancels and nothing reaches the store.
   */
  private index(op: 'add' | 'remove', index: IndexName, member: string): void {
    let members = this.indexOps.get(index);
    if (!members) this.indexOps.set(index, (members = new Map()));
    const earlier = members.get(member);
    if (earlier === undefined || earlier === op) members.set(member, op);
    else if (members.delete(member) && members.size === 0) this.indexOps.delete(index);
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

  /** Has the commit make `read` too; false when it makes one already. `read` hears nothing when nothing is committed. */
  readAfterCommit(read: CommitRead): boolean {
    if (this.commitRead) return false;
    this.commitRead = read;
    return true;
  }

  /** Runs `done` once this change is settled: committed, lost or abandoned (`settle`). */
  whenSettled(done: () => void): void {
    this.onSettled.push(done);
  }

  /** Called by the transaction when this change will commit no more. */
  settle(): void {
    for (const done of this.onSettled.splice(0)) done();
  }

  emit(event: TaskRouterEvent): void {
    this.events.push(event);
  }

  get isEmpty(): boolean {
    return this.puts.size === 0 && this.deletes.length === 0 && this.indexOps.size === 0 && this.timerOps.size === 0 && this.counterOps.size === 0;
  }

  async commit(store: RoutingStore): Promise<void> {
    const read = this.commitRead;
    markCommitted(this.events);
    const windows = await store.commit(this.workspaceSid, {
      expect: [...this.expect.values()],
      put: [...this.puts.values()],
      delete: this.deletes,
      index: [...this.indexOps].flatMap(([index, members]) => [...members].map(([member, op]) => ({ op, index, member }))),
      unique: this.uniqueOps,
      counters: [...this.counterOps].flatMap(([group, keys]) => [...keys].flatMap(([key, delta]) => (delta === 0 ? [] : [{ group, key, delta }]))),
      timers: [...this.timerOps.values()],
      events: this.events,
      ...(read && { readAfter: read.request }),
    });
    read?.landed(windows);
  }
}

import { CommitConflict } from '../../core/errors.js';
import type { AnyRecord, Kind, RecordByKind } from '../../core/model.js';
import type { TaskRouterEvent } from '../../core/events/index.js';
import type { CommitBatch, DueTimer, IndexWindow, Linked, RecordLink, RoutingStore } from '../routing-store.js';
import { freeze } from './frozen.js';
import { SortedStringSet } from './sorted-set.js';

interface WorkspaceState {
  records: Map<Kind, Map<string, AnyRecord>>;
  indexes: Map<string, SortedStringSet>;
  unique: Map<string, string>;
  counters: Map<string, Map<string, number>>;
  /** Events kept are those from `eventsHead` on; the dropped prefix is cut off in bulk (see appendEvents). */
  events: TaskRouterEvent[];
  eventsHead: number;
}

export interface MemoryStoreOptions {
  /** How long events are kept (ms). */
  eventRetentionMs?: number;
  /** At most this many events per workspace are kept. */
  maxEventsPerWorkspace?: number;
}

/**
 * A change the store applied, as a journal keeps it to rebuild the store: a commit's batch (without what only the
 * commit's caller needs: the expected versions and reads after it), or timers leased by `claimDueTimers`.
 */
export type StoreChange = { commit: [workspaceSid: string, batch: CommitBatch] } | { lease: Array<[workspaceSid: string, id: string, due: number]> };

/** Where a store's changes are kept as they are applied (written before the change is acknowledged). */
export interface ChangeLog {
  record(change: StoreChange): void;
  close(): Promise<void>;
}

/**
 * State kept beside the routing store in its journal by a part of the application the store knows nothing of (the
 * connector's numbers, menus and conversations): it journals its own changes and is rebuilt from them at start.
 */
export interface Companion<State, Entry> {
  /** Everything it holds, as JSON, for a snapshot. */
  snapshot(): State;
  /** Takes back what a snapshot held. */
  restore(state: State): void;
  /** Applies one of its journaled changes again. */
  replay(entry: Entry): void;
}

/** Where companions register: each is rebuilt from what the journal holds for it, and given a way to journal more. */
export interface Companions {
  register<State, Entry>(name: string, companion: Companion<State, Entry>): (entry: Entry) => void;
}

/** Everything a memory store holds, as plain JSON: what a snapshot keeps. */
export interface MemoryStoreSnapshot {
  workspaces: Array<{
    sid: string;
    records: Array<[Kind, AnyRecord[]]>;
    indexes: Array<[string, string[]]>;
    unique: Array<[string, string]>;
    counters: Array<[string, Array<[string, number]>]>;
    events: TaskRouterEvent[];
  }>;
  timers: Array<[workspaceSid: string, id: string, due: number]>;
}

const TIMER_SEP = '\u0001';

/**
 * The embedded store: everything in this process's memory, nothing to install. Records and events are frozen when the
 * store takes them (frozen.ts) and copied out to readers, so no one can change what the store holds — the same
 * isolation Redis gives.
 */
export class MemoryStore implements RoutingStore {
  private readonly workspaces = new Map<string, WorkspaceState>();
  private readonly timers = new SortedStringSet();
  private readonly timerMembers = new Map<string, string>();
  private readonly eventRetentionMs: number;
  private readonly maxEvents: number;
  /** Told of every change applied, once applied: a journal keeping the store across restarts. */
  changeLog: ChangeLog | null = null;
  /** With a journal, where state kept beside the store's registers (null: nothing is kept). */
  companions: Companions | null = null;

  constructor(options: MemoryStoreOptions = {}) {
    this.eventRetentionMs = options.eventRetentionMs ?? 30 * 24 * 3600_000;
    this.maxEvents = options.maxEventsPerWorkspace ?? 100_000;
  }

  async get<K extends Kind>(workspaceSid: string, kind: K, sid: string): Promise<RecordByKind[K] | null> {
    const found = this.workspaces.get(workspaceSid)?.records.get(kind)?.get(sid);
    return found ? (copy(found) as RecordByKind[K]) : null;
  }

  async getMany<K extends Kind>(workspaceSid: string, kind: K, sids: string[]): Promise<Array<RecordByKind[K] | null>> {
    const table = this.workspaces.get(workspaceSid)?.records.get(kind);
    return sids.map((sid) => {
      const found = table?.get(sid);
      return found ? (copy(found) as RecordByKind[K]) : null;
    });
  }

  async getLinked<K extends Kind>(workspaceSid: string, kind: K, sid: string, links: readonly RecordLink[]): Promise<Linked<K>> {
    const record = await this.get(workspaceSid, kind, sid);
    const linked = await Promise.all(
      links.map((link) => {
        const value = record ? (record as unknown as Record<string, unknown>)[link.property] : undefined;
        return typeof value === 'string' ? this.get(workspaceSid, link.kind, value) : Promise.resolve(null);
      }),
    );
    return { record, linked };
  }

  async list<K extends Kind>(workspaceSid: string, kind: K): Promise<Array<RecordByKind[K]>> {
    const table = this.table(workspaceSid, kind);
    return table ? ([...table.values()].map((r) => copy(r)) as Array<RecordByKind[K]>) : [];
  }

  async lookupUnique(workspaceSid: string, key: string): Promise<string | null> {
    return this.workspaces.get(workspaceSid)?.unique.get(key) ?? null;
  }

  async commit(workspaceSid: string, batch: CommitBatch): Promise<Array<IndexWindow<Kind>> | undefined> {
    const ws = this.state(workspaceSid);
    for (const { kind, sid, version } of batch.expect ?? []) {
      const current = ws.records.get(kind)?.get(sid);
      if ((current?.version ?? null) !== version) {
        throw new CommitConflict(`${kind} ${sid} is at version ${current?.version ?? 'none'}, expected ${version ?? 'none'}`);
      }
    }
    for (const { op, key, sid } of batch.unique ?? []) {
      const holder = ws.unique.get(key);
      if (op === 'claim' && holder !== undefined && holder !== sid) throw new CommitConflict(`${key} is taken`);
    }
    this.apply(workspaceSid, ws, batch);
    if (this.changeLog) {
      const { expect: _expect, readAfter: _readAfter, ...applied } = batch;
      this.changeLog.record({ commit: [workspaceSid, applied] });
    }
    const read = batch.readAfter;
    return read && this.rangeIndexHeads(workspaceSid, read.indexes, read.kind, read.limit);
  }

  /** Applies a checked batch; nothing here can fail. The batch's records and events become the store's, frozen. */
  private apply(workspaceSid: string, ws: WorkspaceState, batch: CommitBatch): void {
    for (const { kind, record } of batch.put ?? []) this.tableFor(ws, kind).set(record.sid, freeze(record));
    for (const { kind, sid } of batch.delete ?? []) ws.records.get(kind)?.delete(sid);
    for (const { op, index, member } of batch.index ?? []) {
      let set = ws.indexes.get(index);
      if (!set) ws.indexes.set(index, (set = new SortedStringSet()));
      if (op === 'add') set.add(member);
      else set.remove(member);
      if (set.size === 0) ws.indexes.delete(index);
    }
    for (const { op, key, sid } of batch.unique ?? []) {
      if (op === 'claim') ws.unique.set(key, sid);
      else if (ws.unique.get(key) === sid) ws.unique.delete(key);
    }
    for (const { group, key, delta } of batch.counters ?? []) {
      let counters = ws.counters.get(group);
      if (!counters) ws.counters.set(group, (counters = new Map()));
      const value = (counters.get(key) ?? 0) + delta;
      if (value === 0) counters.delete(key);
      else counters.set(key, value);
      if (counters.size === 0) ws.counters.delete(group);
    }
    for (const timer of batch.timers ?? []) {
      if (timer.op === 'set') this.setTimer(workspaceSid, timer.id, timer.due);
      else this.clearTimer(workspaceSid, timer.id);
    }
    if (batch.events?.length) this.appendEvents(ws, batch.events);
    if (batch.delete?.some((d) => d.kind === 'workspace' && d.sid === workspaceSid)) this.dropWorkspace(workspaceSid);
  }

  /** Applies a change as the journal recorded it (when the store is rebuilt at start): no checks, nothing told. */
  replay(change: StoreChange): void {
    if ('commit' in change) {
      const [workspaceSid, batch] = change.commit;
      this.apply(workspaceSid, this.state(workspaceSid), batch);
    } else {
      for (const [workspaceSid, id, due] of change.lease) this.setTimer(workspaceSid, id, due);
    }
  }

  /** Everything the store holds, as plain JSON. */
  snapshot(): MemoryStoreSnapshot {
    return {
      workspaces: [...this.workspaces].map(([sid, ws]) => ({
        sid,
        records: [...ws.records].map(([kind, table]) => [kind, [...table.values()]]),
        indexes: [...ws.indexes].map(([name, set]) => [name, set.range(set.size)]),
        unique: [...ws.unique],
        counters: [...ws.counters].map(([group, counters]) => [group, [...counters]]),
        events: ws.events.slice(ws.eventsHead),
      })),
      timers: [...this.timerMembers.values()].map((member) => {
        const [due, workspaceSid, id] = member.split(TIMER_SEP) as [string, string, string];
        return [workspaceSid, id, Number(due)];
      }),
    };
  }

  /** A store holding what `snapshot` holds (taken by `snapshot()`; its objects become the store's own, frozen). */
  static restore(snapshot: MemoryStoreSnapshot, options: MemoryStoreOptions = {}): MemoryStore {
    const store = new MemoryStore(options);
    for (const saved of snapshot.workspaces) {
      const ws = store.state(saved.sid);
      for (const [kind, records] of saved.records) ws.records.set(kind, new Map(records.map((r) => [r.sid, freeze(r)])));
      for (const [name, members] of saved.indexes) {
        const set = new SortedStringSet();
        for (const member of members) set.add(member);
        ws.indexes.set(name, set);
      }
      for (const [key, sid] of saved.unique) ws.unique.set(key, sid);
      for (const [group, counters] of saved.counters) ws.counters.set(group, new Map(counters));
      ws.events = saved.events.map((event) => freeze(event));
    }
    for (const [workspaceSid, id, due] of snapshot.timers) store.setTimer(workspaceSid, id, due);
    return store;
  }

  async rangeIndex(workspaceSid: string, index: string, limit: number, after?: string): Promise<string[]> {
    return this.workspaces.get(workspaceSid)?.indexes.get(index)?.range(limit, after) ?? [];
  }

  async rangeIndexRecords<K extends Kind>(workspaceSid: string, index: string, kind: K, limit: number, after?: string): Promise<IndexWindow<K>> {
    const members = await this.rangeIndex(workspaceSid, index, limit, after);
    const records = await this.getMany(
      workspaceSid,
      kind,
      members.map((m) => m.slice(m.lastIndexOf(':') + 1)),
    );
    return members.map((member, i) => ({ member, record: records[i] ?? null }));
  }

  async rangeIndexHeads<K extends Kind>(workspaceSid: string, indexes: string[], kind: K, limit: number): Promise<Array<IndexWindow<K>>> {
    return Promise.all(indexes.map((index) => this.rangeIndexRecords(workspaceSid, index, kind, limit)));
  }

  async rankInIndex(workspaceSid: string, index: string, member: string): Promise<number | null> {
    return this.workspaces.get(workspaceSid)?.indexes.get(index)?.rank(member) ?? null;
  }

  async countIndex(workspaceSid: string, index: string): Promise<number> {
    return this.workspaces.get(workspaceSid)?.indexes.get(index)?.size ?? 0;
  }

  async readCounters(workspaceSid: string, group: string): Promise<Record<string, number>> {
    return Object.fromEntries(this.workspaces.get(workspaceSid)?.counters.get(group) ?? []);
  }

  async claimDueTimers(now: number, limit: number, leaseMs: number): Promise<DueTimer[]> {
    const claimed: DueTimer[] = [];
    for (const member of this.timers.range(limit)) {
      const [dueText, workspaceSid, id] = member.split(TIMER_SEP) as [string, string, string];
      const due = Number(dueText);
      if (due > now) break;
      claimed.push({ workspaceSid, id, due });
    }
    for (const t of claimed) this.setTimer(t.workspaceSid, t.id, now + leaseMs);
    if (claimed.length && this.changeLog) this.changeLog.record({ lease: claimed.map((t) => [t.workspaceSid, t.id, now + leaseMs]) });
    return claimed;
  }

  async nextTimerDue(): Promise<number | null> {
    const first = this.timers.first();
    return first === undefined ? null : Number(first.split(TIMER_SEP)[0]);
  }

  async listEvents(workspaceSid: string, since: number): Promise<TaskRouterEvent[]> {
    const ws = this.workspaces.get(workspaceSid);
    if (!ws) return [];
    const found: TaskRouterEvent[] = [];
    for (let i = ws.eventsHead; i < ws.events.length; i++) if (ws.events[i]!.eventDate >= since) found.push(copy(ws.events[i]!));
    return found;
  }

  async getEvent(workspaceSid: string, sid: string): Promise<TaskRouterEvent | null> {
    const ws = this.workspaces.get(workspaceSid);
    if (!ws) return null;
    for (let i = ws.eventsHead; i < ws.events.length; i++) if (ws.events[i]!.sid === sid) return copy(ws.events[i]!);
    return null;
  }

  async close(): Promise<void> {
    await this.changeLog?.close();
  }

  private table(workspaceSid: string, kind: Kind): Map<string, AnyRecord> | undefined {
    if (kind === 'workspace') return this.workspaceTable();
    return this.workspaces.get(workspaceSid)?.records.get(kind);
  }

  /** Workspace records live in their own workspace's state; listing them gathers across all. */
  private workspaceTable(): Map<string, AnyRecord> {
    const all = new Map<string, AnyRecord>();
    for (const [sid, ws] of this.workspaces) {
      const record = ws.records.get('workspace')?.get(sid);
      if (record) all.set(sid, record);
    }
    return all;
  }

  private tableFor(ws: WorkspaceState, kind: Kind): Map<string, AnyRecord> {
    let table = ws.records.get(kind);
    if (!table) ws.records.set(kind, (table = new Map()));
    return table;
  }

  private state(workspaceSid: string): WorkspaceState {
    let ws = this.workspaces.get(workspaceSid);
    if (!ws) {
      ws = { records: new Map(), indexes: new Map(), unique: new Map(), counters: new Map(), events: [], eventsHead: 0 };
      this.workspaces.set(workspaceSid, ws);
    }
    return ws;
  }

  private dropWorkspace(workspaceSid: string): void {
    for (const [id, member] of [...this.timerMembers]) {
      if (member.split(TIMER_SEP)[1] === workspaceSid) this.clearTimer(workspaceSid, id.slice(workspaceSid.length + 1));
    }
    this.workspaces.delete(workspaceSid);
  }

  private setTimer(workspaceSid: string, id: string, due: number): void {
    this.clearTimer(workspaceSid, id);
    const member = `${String(Math.max(0, Math.floor(due))).padStart(15, '0')}${TIMER_SEP}${workspaceSid}${TIMER_SEP}${id}`;
    this.timers.add(member);
    this.timerMembers.set(`${workspaceSid}:${id}`, member);
  }

  private clearTimer(workspaceSid: string, id: string): void {
    const key = `${workspaceSid}:${id}`;
    const member = this.timerMembers.get(key);
    if (member !== undefined) {
      this.timers.remove(member);
      this.timerMembers.delete(key);
    }
  }

  private appendEvents(ws: WorkspaceState, events: TaskRouterEvent[]): void {
    for (const e of events) ws.events.push(freeze(e));
    const horizon = Date.now() - this.eventRetentionMs;
    let head = Math.max(ws.eventsHead, ws.events.length - this.maxEvents);
    while (head < ws.events.length && ws.events[head]!.eventDate < horizon) head += 1;
    ws.eventsHead = head;
    // Cutting the array at every commit would copy it each time once the cap is reached; cut once half is dead.
    if (head > 1024 && head * 2 > ws.events.length) {
      ws.events.splice(0, head);
      ws.eventsHead = 0;
    }
  }
}

/**
 * A deep copy of plain data: records and events are what JSON can hold (the Redis store keeps them as JSON), and
 * copying them this way takes a fraction of what structuredClone does, on every read.
 */
function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as T;
}

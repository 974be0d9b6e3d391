import type { AnyRecord, Kind, RecordByKind } from '../core/model.js';
import type { TaskRouterEvent } from '../core/events/index.js';

/**
 * The RoutingStore seam: the atomic primitives the engine is written against. Two implementations: an embedded
 * in-memory store (one process) and Redis (many processes, one Redis). Engine logic never lives here.
 *
 * Every state change is one `commit`: it checks the versions the engine read, then applies records, index entries,
 * timers and events together — or applies nothing and throws `CommitConflict`. Records of one workspace live
 * together (in Redis, one Cluster slot), so every call names its workspace.
 */
export interface RoutingStore {
  get<K extends Kind>(workspaceSid: string, kind: K, sid: string): Promise<RecordByKind[K] | null>;
  getMany<K extends Kind>(workspaceSid: string, kind: K, sids: string[]): Promise<Array<RecordByKind[K] | null>>;
  /**
   * A record with the records it names (`links`: which of its properties hold a sid, and of what kind), in one round
   * trip: a reservation with its task and worker. A link whose property holds no sid, or whose record is gone, reads
   * as null; so do all links of a record not found.
   */
  getLinked<K extends Kind>(workspaceSid: string, kind: K, sid: string, links: readonly RecordLink[]): Promise<Linked<K>>;
  /** Every record of a kind in a workspace (for workspaces: pass '' and get all workspaces), in creation order. */
  list<K extends Kind>(workspaceSid: string, kind: K): Promise<Array<RecordByKind[K]>>;
  /** The record holding a unique key (a claimed name), if any. */
  lookupUnique(workspaceSid: string, key: string): Promise<string | null>;

  /** Applies a batch (or throws `CommitConflict` and applies nothing); with `readAfter`, returns what it asks for. */
  commit(workspaceSid: string, batch: CommitBatch): Promise<Array<IndexWindow<Kind>> | undefined>;

  /**
   * Members of an ordered index in ascending byte order, after `after` (exclusive) when given. Index members are
   * encoded so byte order is routing order (see engine/derived/schema.ts).
   */
  rangeIndex(workspaceSid: string, index: string, limit: number, after?: string): Promise<string[]>;
  /**
   * Like `rangeIndex`, with the record of `kind` each member names (the sid after its last ':'), in one round trip:
   * matching reads candidates and their state together.
   */
  rangeIndexRecords<K extends Kind>(workspaceSid: string, index: string, kind: K, limit: number, after?: string): Promise<IndexWindow<K>>;
  /**
   * The first `limit` members of each of `indexes`, with their records, in one round trip: matching looks at every
   * queue and channel a worker could take a task from at once.
   */
  rangeIndexHeads<K extends Kind>(workspaceSid: string, indexes: string[], kind: K, limit: number): Promise<Array<IndexWindow<K>>>;
  /** How many members of an index come before `member` (its 0-based rank), or null when it is not a member. */
  rankInIndex(workspaceSid: string, index: string, member: string): Promise<number | null>;
  /** Number of members of an index. */
  countIndex(workspaceSid: string, index: string): Promise<number>;

  /** Every non-zero counter of a group (kept by commits' `counters`), e.g. one queue's figures. */
  readCounters(workspaceSid: string, group: string): Promise<Record<string, number>>;

  /**
   * Claims up to `limit` timers due at `now`: each is pushed `leaseMs` into the future and returned, so a process that
   * dies while handling it leaves it to fire again elsewhere. A handler ends a timer by clearing it in its commit.
   */
  claimDueTimers(now: number, limit: number, leaseMs: number): Promise<DueTimer[]>;
  /** Due time of the earliest timer, or null when none is set. */
  nextTimerDue(): Promise<number | null>;

  /** Events of a workspace, oldest first, not older than `since`. */
  listEvents(workspaceSid: string, since: number): Promise<TaskRouterEvent[]>;
  /** One event by sid, or null. Event sids carry their date (`timedSid`), so a store looks near it only. */
  getEvent(workspaceSid: string, sid: string): Promise<TaskRouterEvent | null>;

  /**
   * The sid for a new workspace, where a store spreads workspaces over servers and picks where each lands (the Redis
   * store on a Redis Cluster); without it, any fresh random sid.
   */
  newWorkspaceSid?(): Promise<string>;

  close(): Promise<void>;
}

/** Members of an ordered index, each with the record of `K` it names (null when that record is gone). */
export type IndexWindow<K extends Kind> = Array<{ member: string; record: RecordByKind[K] | null }>;

/** A property of a record that holds the sid of another record, of `kind`. */
export interface RecordLink {
  property: string;
  kind: Kind;
}

/** A record as `getLinked` reads it, with its linked records in the order of the links asked for. */
export interface Linked<K extends Kind> {
  record: RecordByKind[K] | null;
  linked: Array<AnyRecord | null>;
}

export interface DueTimer {
  workspaceSid: string;
  id: string;
  due: number;
}

/** A record written whole; `created`: it is new, under a sid minted for it (no expectation guards it). */
export type RecordWrite = { [K in Kind]: { kind: K; record: RecordByKind[K]; created?: boolean } }[Kind];

/**
 * What a commit applies. Its records and events become the store's (the embedded store keeps them as they are,
 * frozen): the caller changes none of them afterwards.
 */
export interface CommitBatch {
  /** Versions the change was computed from; null = the record must not exist yet. */
  expect?: Array<{ kind: Kind; sid: string; version: number | null }>;
  /** Records written whole (their `version` already incremented by the engine). */
  put?: RecordWrite[];
  delete?: Array<{ kind: Kind; sid: string }>;
  /** Ordered-index changes. */
  index?: Array<{ op: 'add' | 'remove'; index: string; member: string }>;
  /** Unique keys (names) claimed for a sid or released; claiming a key held by another sid is a conflict. */
  unique?: Array<{ op: 'claim' | 'release'; key: string; sid: string }>;
  /** Counters moved by `delta` within a group; a counter back at zero disappears. */
  counters?: Array<{ group: string; key: string; delta: number }>;
  /** Timers set (due ms) or cleared. */
  timers?: Array<{ op: 'set'; id: string; due: number } | { op: 'clear'; id: string }>;
  events?: TaskRouterEvent[];
  /**
   * Heads of indexes to read once the batch is applied, answered by the commit itself (as `rangeIndexHeads` would
   * right after it): a worker the commit frees looks for work without a round trip of its own.
   */
  readAfter?: { kind: Kind; indexes: string[]; limit: number };
}

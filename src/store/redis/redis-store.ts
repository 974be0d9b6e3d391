import type { AnyRecord, Kind, RecordByKind } from '../../core/model.js';
import type { TaskRouterEvent } from '../../core/events/index.js';
import type { CommitBatch, DueTimer, IndexWindow, Linked, RecordLink, RoutingStore } from '../routing-store.js';
import { encodeCommit } from './commit-args.js';
import { isSid, sidTime } from '../../core/sid.js';
import { connectRedis, scanKeys, type RedisClient } from './connection.js';
import { baseOutside, decodeEntries, decodeEntryAmong, entryOfEvent, type StreamEntry } from './event-codec.js';
import { RedisEventFeed } from './event-feed.js';
import { RedisEventTail } from './event-tail.js';
import { indexWindows } from './index-windows.js';
import { KeySpace } from './keys.js';
import { OutageReporter } from './outage.js';
import { RecordReads } from './record-reads.js';
import { throwOnScriptFailure, TIMER_NOT_ANNOUNCED } from './script-replies.js';
import { defineScripts, type CommitReply, type ScriptCommands } from './scripts.js';
import { TimerRegistry } from './timer-registry.js';
import { placeWorkspaceSid } from './workspace-placement.js';

export interface RedisStoreOptions {
  /** Prepended to every key; lets several deployments (or test runs) share one Redis. No braces. */
  prefix?: string;
  /** How long events are kept (ms). */
  eventRetentionMs?: number;
  /** About this many events per workspace are kept (trimming is approximate, by whole stream nodes). */
  maxEventsPerWorkspace?: number;
  /** `url` names nodes of a Redis Cluster. */
  cluster?: boolean;
}

/**
 * The routing store on Redis: several server processes share one Redis. Each commit is one Lua script over one
 * workspace's keys (one Cluster slot), so it checks and applies atomically; see keys.ts for the layout.
 * Needs Redis 6.2 or later (ZADD LT, XTRIM MINID).
 */
export class RedisStore implements RoutingStore {
  private readonly timers: TimerRegistry;
  private readonly reads: RecordReads;
  private readonly eventRetentionMs: number;
  private readonly maxEvents: number;

  private constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptCommands,
    private readonly keys: KeySpace,
    options: RedisStoreOptions,
  ) {
    this.timers = new TimerRegistry(redis, scripts, keys);
    this.reads = new RecordReads(redis, scripts);
    reportOutages(this, () => redis.status === 'ready');
    this.eventRetentionMs = options.eventRetentionMs ?? 30 * 24 * 3600_000;
    this.maxEvents = options.maxEventsPerWorkspace ?? 100_000;
  }

  /**
   * Connects to `url` (redis:// or rediss://) and registers the scripts; rejects if Redis cannot be reached. With
   * `cluster`, `url` lists nodes of a Redis Cluster (comma-separated): each workspace lives in one slot.
   */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const redis = await connectRedis(url, options.cluster);
    return new RedisStore(redis, defineScripts(redis), new KeySpace(options.prefix ?? ''), options);
  }

  /** On a Redis Cluster, a sid whose slot lies on the master holding the fewest workspaces (workspace-placement.ts). */
  newWorkspaceSid(): Promise<string> {
    return placeWorkspaceSid(this.redis, this.keys);
  }

  async get<K extends Kind>(workspaceSid: string, kind: K, sid: string): Promise<RecordByKind[K] | null> {
    return (await this.getMany(workspaceSid, kind, [sid]))[0]!;
  }

  async getMany<K extends Kind>(workspaceSid: string, kind: K, sids: string[]): Promise<Array<RecordByKind[K] | null>> {
    if (sids.length === 0) return [];
    const found = await this.reads.read(workspaceSid, this.keys.workspace(workspaceSid).records(kind), sids);
    return found.map((json) => (json === null ? null : (JSON.parse(json) as RecordByKind[K])));
  }

  async getLinked<K extends Kind>(workspaceSid: string, kind: K, sid: string, links: readonly RecordLink[]): Promise<Linked<K>> {
    const keys = this.keys.workspace(workspaceSid);
    const reply = await this.scripts.readLinked(
      links.length + 1,
      keys.records(kind),
      ...links.map((link) => keys.records(link.kind)),
      sid,
      ...links.map((link) => link.property),
    );
    const parse = (json: string | null | undefined) => (json ? JSON.parse(json) : null);
    return { record: parse(reply[0]) as RecordByKind[K] | null, linked: links.map((_, i) => parse(reply[i + 1]) as AnyRecord | null) };
  }

  async list<K extends Kind>(workspaceSid: string, kind: K): Promise<Array<RecordByKind[K]>> {
    if (kind === 'workspace') return (await this.listWorkspaces()) as Array<RecordByKind[K]>;
    const keys = this.keys.workspace(workspaceSid);
    // Page by page, each read a short one: other processes' commits run in between, where one read of every record
    // would hold Redis for as long as it takes to copy them all. A record created meanwhile comes last or not at
    // all; one deleted meanwhile is left out; every other record is read once, as it stands then.
    const found: Array<RecordByKind[K]> = [];
    for (let from = '-inf'; ;) {
      const page = await this.redis.zrange(keys.order(kind), from, '+inf', 'BYSCORE', 'LIMIT', 0, LIST_PAGE, 'WITHSCORES');
      const sids = page.filter((_, i) => i % 2 === 0);
      if (sids.length === 0) return found;
      for (const json of await this.redis.hmget(keys.records(kind), ...sids)) if (json) found.push(JSON.parse(json) as RecordByKind[K]);
      if (sids.length < LIST_PAGE) return found;
      // Creation sequence numbers are unique: the next page starts after the last one read.
      from = `(${page[page.length - 1]}`;
    }
  }

  async lookupUnique(workspaceSid: string, key: string): Promise<string | null> {
    return this.redis.hget(this.keys.workspace(workspaceSid).unique, key);
  }

  async commit(workspaceSid: string, batch: CommitBatch): Promise<Array<IndexWindow<Kind>> | undefined> {
    const keys = this.keys.workspace(workspaceSid);
    const drop = batch.delete?.some((d) => d.kind === 'workspace' && d.sid === workspaceSid) ?? false;
    const created = batch.put?.some((p) => p.kind === 'workspace' && p.record.sid === workspaceSid) ?? false;
    const dues = (batch.timers ?? []).flatMap((t) => (t.op === 'set' ? [t.due] : []));
    const earliest = dues.length > 0 ? Math.min(...dues) : null;
    const retention = { maxEvents: this.maxEvents, horizonMs: Date.now() - this.eventRetentionMs };
    const attempt = (announced: number | null): Promise<CommitReply> => {
      const encoded = encodeCommit(keys, batch, retention, drop, announced);
      return this.scripts.commit(encoded.keys.length, ...encoded.keys, ...encoded.args);
    };

    // Registrations are sent just ahead of the commit, in the same round trip, so a process dying after its commit
    // leaves nothing unregistered; a commit that then fails leaves only a harmless early entry. A timer after one the
    // workspace already holds needs no announcement: the script checks that, and refuses when it was wrong.
    let announced = earliest !== null && this.timers.mayComeFirst(workspaceSid, earliest) ? earliest : null;
    let [, , reply] = await Promise.all([
      created ? this.scripts.registerWorkspace(this.keys.workspaces, this.keys.workspaceSequence, workspaceSid) : null,
      announced !== null ? this.timers.announce(workspaceSid, announced) : null,
      attempt(announced),
    ]);
    if (reply[0] === TIMER_NOT_ANNOUNCED && earliest !== null) {
      announced = earliest;
      await this.timers.announce(workspaceSid, announced);
      reply = await attempt(announced);
    }
    throwOnScriptFailure(reply);

    if (drop) {
      await Promise.all([this.redis.zrem(this.keys.workspaces, workspaceSid), this.timers.forget(workspaceSid)]);
      await this.unlinkAll(keys.base);
      return undefined;
    }
    if (reply[1] !== undefined && reply[1] !== null) this.timers.heldEarliest(workspaceSid, Number(reply[1]));
    if (announced !== null) {
      // Undoes a settle that raised the score between the first announce and the commit. Not awaited: it guards a
      // rare race, and the caller need not wait a round trip for it (a process dying here is the same narrow gap).
      this.timers.announceSoon(workspaceSid, announced);
    }
    return batch.readAfter && indexWindows(reply, 2);
  }

  async rangeIndex(workspaceSid: string, index: string, limit: number, after?: string): Promise<string[]> {
    if (limit <= 0) return [];
    const start = after === undefined ? '-' : `(${after}`;
    return this.redis.zrangebylex(this.keys.workspace(workspaceSid).index(index), start, '+', 'LIMIT', 0, limit);
  }

  async rangeIndexRecords<K extends Kind>(workspaceSid: string, index: string, kind: K, limit: number, after?: string): Promise<IndexWindow<K>> {
    if (limit <= 0) return [];
    return (await this.rangeRecords(workspaceSid, [index], kind, limit, after === undefined ? '-' : `(${after}`))[0]!;
  }

  async rangeIndexHeads<K extends Kind>(workspaceSid: string, indexes: string[], kind: K, limit: number): Promise<Array<IndexWindow<K>>> {
    if (indexes.length === 0) return [];
    if (limit <= 0) return indexes.map(() => []);
    return this.rangeRecords(workspaceSid, indexes, kind, limit, '-');
  }

  private async rangeRecords<K extends Kind>(workspaceSid: string, indexes: string[], kind: K, limit: number, start: string): Promise<Array<IndexWindow<K>>> {
    const keys = this.keys.workspace(workspaceSid);
    const reply = await this.scripts.rangeRecords(indexes.length + 1, keys.records(kind), ...indexes.map((index) => keys.index(index)), start, String(limit));
    return indexWindows<K>(reply, 0);
  }

  async rankInIndex(workspaceSid: string, index: string, member: string): Promise<number | null> {
    // Every score is 0, so ZRANK orders members bytewise, as ZRANGEBYLEX does.
    return this.redis.zrank(this.keys.workspace(workspaceSid).index(index), member);
  }

  async countIndex(workspaceSid: string, index: string): Promise<number> {
    return this.redis.zcard(this.keys.workspace(workspaceSid).index(index));
  }

  async readCounters(workspaceSid: string, group: string): Promise<Record<string, number>> {
    const fields = await this.redis.hgetall(this.keys.workspace(workspaceSid).counters(group));
    return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, Number(value)]));
  }

  async claimDueTimers(now: number, limit: number, leaseMs: number): Promise<DueTimer[]> {
    return this.timers.claimDue(now, limit, leaseMs);
  }

  async nextTimerDue(): Promise<number | null> {
    return this.timers.nextDue();
  }

  async listEvents(workspaceSid: string, since: number): Promise<TaskRouterEvent[]> {
    // Stream ids are at or after their event's date, so reading from `since` misses none; the filter drops events
    // whose id was pushed past their date.
    const stream = this.keys.workspace(workspaceSid).events;
    const entries: StreamEntry[] = [];
    for await (const page of this.streamPages(stream, Number.isFinite(since) && since > 0 ? `${Math.floor(since)}-0` : '-', LIST_PAGE)) {
      entries.push(...page);
    }
    // Decoded once all is read: an event may be stored relative to an entry of a later page.
    return decodeEntries(workspaceSid, entries).filter((event) => event.eventDate >= since);
  }

  async getEvent(workspaceSid: string, sid: string): Promise<TaskRouterEvent | null> {
    if (!isSid(sid, 'EV')) return null;
    // Its entry's id is at or after its date: later only by clock skew between processes, or a slow commit.
    const date = sidTime(sid);
    const stream = this.keys.workspace(workspaceSid).events;
    let pages = 0;
    for await (const entries of this.streamPages(stream, `${date}-0`, EVENT_SEARCH_PAGE)) {
      const found = entryOfEvent(entries, sid);
      if (found) {
        // What it is stored relative to is usually on this page; past its end it is read on its own.
        const base = baseOutside(found, entries);
        return decodeEntryAmong(workspaceSid, found, base === undefined ? entries : await this.redis.xrange(stream, base, base));
      }
      if ((pages += 1) >= EVENT_SEARCH_PAGES || Number(entries.at(-1)![0].split('-')[0]) > date + EVENT_ID_DELAY_MS) return null;
    }
    return null;
  }

  /**
   * Delivery's consumer `consumer` of the consumer group `group` on every workspace's events stream (see
   * event-feed.ts); `leaseMs` is how long a taken entry may go without renewal before another consumer takes it over.
   * It shares this store's connection: its commands never block, and closing the store ends it.
   */
  eventFeed(group: string, consumer: string, leaseMs: number): RedisEventFeed {
    return new RedisEventFeed(this.redis, this.scripts, this.keys, group, consumer, leaseMs);
  }

  /**
   * Every event of the workspaces followed, as each instance serving live clients needs them (see event-tail.ts).
   * It reads on a connection of its own; close it before the store.
   */
  eventTail(): RedisEventTail {
    return new RedisEventTail(this.redis, this.keys);
  }

  /**
   * The connection and key prefix, for state kept beside the routing store's in the same Redis (the connector's own):
   * one connection per process, and one prefix per deployment. Closing the store ends it.
   */
  sharedConnection(): { redis: RedisClient; prefix: string } {
    return { redis: this.redis, prefix: this.keys.prefix };
  }

  /**
   * A stream's entries from `from` on, `count` a read: each read a short one, so a long stream is never copied out
   * in one (see `list`). Ends after a page short of `count`.
   */
  private async *streamPages(stream: string, from: string, count: number): AsyncGenerator<StreamEntry[]> {
    for (let start = from; ;) {
      const page = await this.redis.xrange(stream, start, '+', 'COUNT', count);
      if (page.length > 0) yield page;
      if (page.length < count) return;
      start = `(${page[page.length - 1]![0]}`;
    }
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    try {
      await this.redis.quit();
    } catch {
      // Already disconnected: nothing left to close.
      this.redis.disconnect();
    }
  }

  /**
   * Removes every key under `base` (a deleted workspace's indexes and counters, which commits do not declare). The
   * workspace record is gone first, so no commit can add keys back: each checks the workspace's version.
   */
  private async unlinkAll(base: string): Promise<void> {
    const pattern = `${base.replace(/[*?[\]\\]/g, '\\$&')}*`;
    for await (const found of scanKeys(this.redis, pattern)) await this.redis.unlink(...found);
  }

  private async listWorkspaces(): Promise<Array<RecordByKind['workspace']>> {
    const sids = await this.redis.zrange(this.keys.workspaces, 0, -1);
    const found = await Promise.all(sids.map((sid) => this.get(sid, 'workspace', sid)));
    // Entries of commits that lost their race have no record.
    return found.filter((w): w is RecordByKind['workspace'] => w !== null);
  }
}

/** Calls that reach Redis: a failure to reach it becomes the API's 503. */
const STORE_CALLS = [
  'get',
  'getMany',
  'getLinked',
  'list',
  'lookupUnique',
  'commit',
  'rangeIndex',
  'rangeIndexRecords',
  'rangeIndexHeads',
  'rankInIndex',
  'countIndex',
  'readCounters',
  'claimDueTimers',
  'nextTimerDue',
  'listEvents',
  'getEvent',
] as const;

/**
 * Records (or events) read per call when listing a kind: big enough to be few calls, small enough never to hold Redis
 * long.
 */
const LIST_PAGE = 500;
/** Entries read per page when looking for an event by sid, and pages at most. */
const EVENT_SEARCH_PAGE = 100;
const EVENT_SEARCH_PAGES = 20;
/** How far past its date an event's stream id may lie (clock skew between processes, slow commits). */
const EVENT_ID_DELAY_MS = 60_000;

/**
 * Redis being down or unreachable (connection refused, closed, timed out, retries exhausted) is turned into a typed
 * 503 with a fixed message once, here, so callers never see ioredis errors; anything else (a script error, a record
 * that cannot be encoded) keeps its own error, and lost races stay CommitConflict.
 */
function reportOutages(store: RedisStore, connected: () => boolean): void {
  const target = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const outages = new OutageReporter();
  const rethrow = (err: unknown): never => outages.rethrow(err, connected());
  for (const name of STORE_CALLS) {
    const call = target[name]!.bind(store);
    // A plain function rather than an async one: every store call on the hot path passes through here.
    target[name] = (...args: unknown[]) => call(...args).then(outages.passed, rethrow);
  }
}

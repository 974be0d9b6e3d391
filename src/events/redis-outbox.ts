import type { TaskRouterEvent } from '../core/events/index.js';
import { systemClock, type Clock } from '../engine/clock.js';
import type { FeedEntry, FeedGate, RedisEventFeed } from '../store/redis/event-feed.js';
import { FeedWorkspaces } from './feed-workspaces.js';
import { FailureThrottle } from '../telemetry/failure-throttle.js';
import type { Logger } from '../telemetry/log.js';
import type { MeasuredOutbox, OutboxEntry } from './outbox.js';

export interface RedisOutboxOptions {
  /** This process's consumer of the group for this kind of callback. */
  feed: RedisEventFeed;
  /** Which records say whether a workspace has a receiver (its group exists only then). */
  gate: FeedGate;
  /** Events whose commit may have changed the gate: their workspace is synced again at once. */
  gateChanged: (event: TaskRouterEvent) => boolean;
  /** Events worth handing out; the others are settled unseen. All by default. */
  accepts?: (event: TaskRouterEvent) => boolean;
  /** One entry in flight per workspace across every process, so a receiver gets a workspace's events in order. */
  inOrder: boolean;
  /** Entries one workspace may have pending (taken, or waiting for a retry) before its new entries are left unread. */
  pendingLimit: number;
  /** How often the poll looks for what no local commit announced (ms). */
  pollMs?: number;
  /** Told about pending entries found trimmed from the stream before they were settled, with the count so far. */
  onGone?: (workspaceSid: string, goneSoFar: number) => void;
  logger?: Logger;
  /**
   * Dates what the outbox decides by time: which retries are due, when a group may open, when a workspace was last
   * synced. The system clock by default; delivery passes the engine's, which dates the events and records too.
   * Leases are not on it: Redis measures them on its own clock.
   */
  clock?: Clock;
}

/**
 * Open workspaces the poll marks for a look each round, workspaces it learns from the list of open groups each
 * round, and workspaces one take reads at most.
 */
const READ_PAGE = 64;
/**
 * Registry entries the poll syncs each round. Only a receiver whose group nobody opened needs this (the process
 * that set it died before its sync), so it goes slowly: a full pass over W workspaces takes W / SWEEP_PAGE rounds.
 */
const SWEEP_PAGE = 16;
/** Workspaces synced in one go (hints and the sweep). */
const SYNC_PAGE = 64;
const DEFAULT_POLL_MS = 1_000;
/** A hint for a workspace synced longer ago than this syncs it again: another process may have changed its receiver. */
const SYNC_TTL_MS = 30_000;
/** How far before its opening a group may start: covers a process dying between a configuration commit and the sync. */
const OPEN_LOOKBACK_MS = 60_000;
/** Consumers (processes) idle this long with nothing pending are removed from a group. */
const CONSUMER_IDLE_MS = 3_600_000;
/** Workspaces without a receiver are forgotten after this long without a sync. */
const FORGET_AFTER_MS = 10 * SYNC_TTL_MS;
/** A failing Redis is reported at most this often. */
const ERROR_LOG_INTERVAL_MS = 10_000;
const REDIS = 'redis';

interface Taken {
  workspaceSid: string;
  streamId: string;
}

/**
 * The shared EventOutbox: the store's per-workspace event streams, read through one consumer group per kind of
 * callback (see RedisEventFeed), so each event is delivered once across processes and at least once overall.
 *
 * - Which workspaces: those whose group exists. Local commits hint their workspace (`notice`), read at once. Each
 *   poll round (every `pollMs`) learns READ_PAGE more workspaces from the shared list of open groups, marks the next
 *   READ_PAGE open ones for a look (what other or dead processes left, retries set aside elsewhere), and syncs the
 *   next SWEEP_PAGE entries of the whole workspace registry (a receiver whose group nobody opened). A round thus
 *   costs at most 2 × READ_PAGE + SWEEP_PAGE script calls whatever the number of workspaces; the open ones are all
 *   looked at within open / READ_PAGE rounds.
 * - Lease: taken entries are renewed every third of the feed's lease; a process that dies stops renewing, and after
 *   the lease any take elsewhere claims them — a second attempt, never a lost event. `close` hands them back at once.
 * - Retries: `retryLater` moves the entry to the workspace's retry zset, still pending, so attempts (the pending
 *   entry's delivery count) carry over to whichever process retries it. A local timer wakes this process when it is
 *   due; the poll finds those of other processes.
 * - Order: with `inOrder`, the workspace's order lease lets one process at a time take its entries, one at a time.
 * - Memory: nothing is held beyond entries in flight (bounded by the pump) and one small record per workspace; a
 *   dead receiver's backlog stays unread in Redis past `pendingLimit`, where the stream's trimming bounds it.
 */
export class RedisOutbox implements MeasuredOutbox {
  private readonly feed: RedisEventFeed;
  private readonly workspaces = new FeedWorkspaces(SYNC_TTL_MS);
  private readonly taken = new Map<string, Taken>();
  private readonly listeners = new Set<() => void>();
  private readonly retryWakes: Array<{ at: number; ws: string }> = [];
  private readonly pollMs: number;
  private goneTotal = 0;
  private readonly goneByWorkspace = new Map<string, number>();
  private sweepAfter: number | null = null;
  private listedAfter: string | null = null;
  private syncing: Promise<void> | null = null;
  private poller: NodeJS.Timeout;
  private renewer: NodeJS.Timeout;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryTimerAt = Infinity;
  private soonPending = false;
  /** The last sync run failed: the next is left to the poll rather than retried at once. */
  private failing = false;
  private closed = false;
  private readonly clock: Clock;
  /** Every step fails while Redis is away: one throttle, one key, whichever step saw it. */
  private readonly failures: FailureThrottle;

  constructor(private readonly options: RedisOutboxOptions) {
    this.feed = options.feed;
    this.clock = options.clock ?? systemClock;
    this.failures = new FailureThrottle({
      message: `${this.feed.group}: Redis failing`,
      intervalMs: ERROR_LOG_INTERVAL_MS,
      logger: options.logger,
      now: () => this.clock.now(),
    });
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.poller = setInterval(() => void this.poll(), this.pollMs);
    this.poller.unref();
    this.renewer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.feed.leaseMs / 3)));
    this.renewer.unref();
  }

  /** An event was committed by this process: its workspace is looked at right away. */
  notice(event: TaskRouterEvent): void {
    if (this.closed) return;
    const ws = event.workspaceSid;
    this.workspaces.notice(ws, this.options.gateChanged(event), this.clock.now());
    if (this.workspaces.wantsSync(ws)) void this.syncQueued();
    else this.ready();
  }

  async take(max: number): Promise<OutboxEntry[]> {
    if (this.closed || max <= 0) return [];
    // A workspace whose receiver may have changed is read once its group was synced with it.
    const blocked = (ws: string) => this.workspaces.wantsSync(ws) || (this.options.inOrder && (this.workspaces.get(ws)?.inFlight ?? 0) > 0);
    const out: OutboxEntry[] = [];
    for (let visited = 0; out.length < max && visited < READ_PAGE;) {
      const batch = this.workspaces.nextDirty(Math.min(max - out.length, READ_PAGE - visited), blocked);
      if (batch.length === 0) break;
      visited += batch.length;
      const each = this.options.inOrder ? 1 : Math.max(1, Math.floor((max - out.length) / batch.length));
      // Settled one by one: what one workspace handed out must reach the pump even if another failed.
      const taken = await Promise.allSettled(batch.map((ws) => this.takeFrom(ws, each)));
      const failed = taken.find((t): t is PromiseRejectedResult => t.status === 'rejected');
      for (const t of taken) if (t.status === 'fulfilled') out.push(...t.value);
      if (failed) {
        // Redis is likely away: the poll comes back to the workspaces left dirty.
        this.reportError('taking', failed.reason);
        return out;
      }
    }
    // More may wait than one take looks at: come back soon rather than at the next poll.
    if (this.workspaces.hasDirty(blocked)) this.soon();
    return out;
  }

  async done(id: string): Promise<void> {
    const taken = this.release(id);
    if (!taken) return;
    const ws = taken.workspaceSid;
    await this.feed.ack(ws, [taken.streamId], this.releasesOrder(ws));
    this.workspaces.touch(ws);
    this.ready();
  }

  async retryLater(id: string, at: number): Promise<void> {
    const taken = this.release(id);
    if (!taken) return;
    const ws = taken.workspaceSid;
    await this.feed.retryAt(ws, taken.streamId, at, this.releasesOrder(ws));
    this.wakeAt(ws, at);
    this.workspaces.touch(ws);
    this.ready();
  }

  onReady(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Entries of the workspaces this process knows to have a receiver that are not settled yet — pending anywhere, or
   * unread (counted once per workspace) — plus workspaces waiting for a sync. Zero means nothing is left to do.
   */
  async size(): Promise<number> {
    const open = this.workspaces.openWorkspaces();
    const backlogs = await Promise.all(open.map((ws) => this.feed.backlog(ws)));
    let size = this.workspaces.syncsWaiting;
    backlogs.forEach((backlog, i) => {
      if (backlog) size += backlog.pending + (backlog.unread ? 1 : 0);
      else this.workspaces.synced(open[i]!, false, this.clock.now());
    });
    return size;
  }

  /** Pending entries found trimmed away before they were settled. */
  get dropped(): number {
    return this.goneTotal;
  }

  /** The most entries any one workspace had pending at its last take. */
  get longestBacklog(): number {
    return this.workspaces.longestPending();
  }

  /** Stops the timers and hands what is still taken back to the other processes at once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    clearInterval(this.renewer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.listeners.clear();
    const byWorkspace = this.takenByWorkspace();
    this.taken.clear();
    await Promise.all([...byWorkspace].map(([ws, ids]) => this.feed.release(ws, ids).catch(() => {})));
  }

  private async takeFrom(ws: string, count: number): Promise<OutboxEntry[]> {
    const known = this.workspaces.get(ws)!;
    const took = await this.feed.take(ws, {
      count,
      ordered: this.options.inOrder,
      pendingLimit: this.options.pendingLimit,
      cursor: known.cursor,
      now: this.clock.now(),
    });
    if (took.state === 'closed') {
      this.workspaces.synced(ws, false, this.clock.now());
      return [];
    }
    known.cursor = took.cursor;
    known.pending = took.pending;
    if (took.gone > 0) this.countGone(ws, took.gone);
    // Held: another process is working through the workspace in order; the poll looks again later.
    if (took.state === 'held' || took.entries.length < count) this.workspaces.clean(ws);

    const accepts = this.options.accepts ?? (() => true);
    const wanted = took.entries.filter((e) => accepts(e.event));
    const unwanted = took.entries.filter((e) => !accepts(e.event));
    if (unwanted.length > 0) {
      await this.feed.ack(
        ws,
        unwanted.map((e) => e.id),
        this.options.inOrder && wanted.length === 0,
      );
    }
    return wanted.map((entry) => this.hold(ws, entry));
  }

  private hold(ws: string, entry: FeedEntry): OutboxEntry {
    const id = `${ws}/${entry.id}`;
    this.taken.set(id, { workspaceSid: ws, streamId: entry.id });
    this.workspaces.get(ws)!.inFlight += 1;
    return { id, event: entry.event, attempt: Math.max(0, entry.deliveries - 1) };
  }

  private release(id: string): Taken | undefined {
    const taken = this.taken.get(id);
    if (!taken) return undefined;
    this.taken.delete(id);
    const known = this.workspaces.get(taken.workspaceSid);
    if (known) known.inFlight -= 1;
    return taken;
  }

  /** In order, the lease goes with the workspace's last entry out here. */
  private releasesOrder(ws: string): boolean {
    return this.options.inOrder && (this.workspaces.get(ws)?.inFlight ?? 0) === 0;
  }

  private countGone(ws: string, gone: number): void {
    this.goneTotal += gone;
    const soFar = (this.goneByWorkspace.get(ws) ?? 0) + gone;
    // Only the count of workspaces that lost something is kept, and only while it keeps being reported.
    this.goneByWorkspace.delete(ws);
    this.goneByWorkspace.set(ws, soFar);
    if (this.goneByWorkspace.size > 1_000) this.goneByWorkspace.delete(this.goneByWorkspace.keys().next().value!);
    this.options.onGone?.(ws, soFar);
  }

  /** Syncs the workspaces hints asked for, a page at a time; one run at a time. */
  private syncQueued(): Promise<void> {
    if (!this.syncing && !this.closed && this.workspaces.syncsWaiting > 0) {
      this.syncing = this.runSyncs().finally(() => {
        this.syncing = null;
        // A request that came in as the run ended starts the next one.
        if (this.workspaces.syncsWaiting > 0 && !this.failing) void this.syncQueued();
      });
    }
    return this.syncing ?? Promise.resolve();
  }

  private async runSyncs(): Promise<void> {
    this.failing = false;
    try {
      while (!this.closed && this.workspaces.syncsWaiting > 0) {
        const page = this.workspaces.syncsWanted(SYNC_PAGE);
        await Promise.all(page.map(([ws, request]) => this.sync(ws).then(() => this.workspaces.syncAnswered(ws, request))));
        this.ready();
      }
    } catch (err) {
      // Left waiting: the next poll tries again.
      this.failing = true;
      this.reportError('syncing delivery groups', err);
    }
  }

  /**
   * Syncs one workspace's group with its records. What it found is recorded as soon as its own reply is in: replies
   * come back in the order the scripts ran, so the last sync to run is the one that counts.
   */
  private async sync(ws: string): Promise<void> {
    const open = await this.feed.sync(ws, this.options.gate, this.clock.now() - OPEN_LOOKBACK_MS, CONSUMER_IDLE_MS);
    this.workspaces.synced(ws, open, this.clock.now());
  }

  /**
   * One poll round: learn the next page of workspaces listed with an open group, sync the next page of the whole
   * registry, and mark the next open workspaces for a look. Runs every `pollMs`; resolves once the round's syncs
   * were answered and the takers told, so whoever needs a round now (a test) can run one and wait for it.
   */
  async poll(): Promise<void> {
    if (this.closed) return;
    try {
      const listed = await this.feed.openWorkspaces(this.listedAfter, READ_PAGE);
      this.failures.succeeded(REDIS);
      this.listedAfter = listed.next;
      const now = this.clock.now();
      for (const ws of listed.workspaceSids) this.workspaces.listed(ws, now);
      const page = await this.feed.workspaces(this.sweepAfter, SWEEP_PAGE);
      this.sweepAfter = page.next;
      await Promise.all(page.workspaceSids.map((ws) => this.sync(ws)));
    } catch (err) {
      this.reportError('polling the workspace registries', err);
    }
    this.workspaces.forgetStale(this.clock.now(), FORGET_AFTER_MS, SWEEP_PAGE);
    this.workspaces.touchNextOpen(READ_PAGE);
    await this.syncQueued();
    this.ready();
  }

  /** Keeps what this process is delivering from looking abandoned. Runs every third of the lease. */
  async renew(): Promise<void> {
    const byWorkspace = this.takenByWorkspace();
    await Promise.all([...byWorkspace].map(([ws, ids]) => this.feed.renew(ws, ids).catch((err: unknown) => this.reportError('renewing leases', err))));
  }

  private takenByWorkspace(): Map<string, string[]> {
    const byWorkspace = new Map<string, string[]>();
    for (const { workspaceSid, streamId } of this.taken.values()) {
      const ids = byWorkspace.get(workspaceSid) ?? [];
      ids.push(streamId);
      byWorkspace.set(workspaceSid, ids);
    }
    return byWorkspace;
  }

  /** Wakes the takers when a retry set aside here falls due (the poll finds those set aside elsewhere). */
  private wakeAt(ws: string, at: number): void {
    // Kept sorted by due time; one element per retry set aside here and not yet due.
    let i = this.retryWakes.length;
    while (i > 0 && this.retryWakes[i - 1]!.at > at) i--;
    this.retryWakes.splice(i, 0, { at, ws });
    this.armRetryTimer();
  }

  private armRetryTimer(): void {
    const next = this.retryWakes[0]?.at ?? Infinity;
    if (next >= this.retryTimerAt) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimerAt = next;
    this.retryTimer = setTimeout(() => this.retriesDue(), Math.max(0, next - this.clock.now()));
    this.retryTimer.unref();
  }

  /**
   * Marks the workspaces of retries set aside here that are due by the clock for a look, wakes the takers, and sets
   * the timer for the next one. The retry timer calls it when it fires; whoever moved the clock may call it rather
   * than wait for the timer.
   */
  retriesDue(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryTimerAt = Infinity;
    if (this.closed) return;
    const now = this.clock.now();
    let due = 0;
    while (due < this.retryWakes.length && this.retryWakes[due]!.at <= now) this.workspaces.touch(this.retryWakes[due++]!.ws);
    this.retryWakes.splice(0, due);
    this.armRetryTimer();
    this.ready();
  }

  private soon(): void {
    if (this.soonPending) return;
    this.soonPending = true;
    setImmediate(() => {
      this.soonPending = false;
      this.ready();
    });
  }

  private ready(): void {
    for (const listener of this.listeners) listener();
  }

  private reportError(what: string, err: unknown): void {
    this.failures.failed(REDIS, err, { during: what });
  }
}

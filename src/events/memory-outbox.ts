import type { TaskRouterEvent } from '../core/events/index.js';
import { systemClock, type Clock } from '../engine/clock.js';
import type { EventOutbox, OutboxEntry } from './outbox.js';

export interface MemoryOutboxOptions {
  /**
   * Entries one workspace may have waiting (taken ones aside). Past it the oldest is dropped, so a slow or dead
   * receiver costs a fixed amount of memory however long it stays away.
   */
  limitPerWorkspace: number;
  /**
   * Hand out one entry per workspace at a time, so a receiver gets a workspace's events in the order they happened
   * (an entry that has to be retried is set aside and does not hold up the ones after it).
   */
  inOrder: boolean;
  /** Told about each dropped entry, with the workspace's drop count so far. */
  onDrop?: (workspaceSid: string, droppedSoFar: number) => void;
  /** Decides which retries are due (their `at` is read on it); the system clock by default. */
  clock?: Clock;
  /** Told at close what is left undelivered, for the next run to take over (`takeOver`). */
  leaveBehind?: (left: LeftEntry[]) => void;
}

/** An entry left undelivered by a run that stopped: its event, the attempts made, and when the next is due. */
export interface LeftEntry {
  event: TaskRouterEvent;
  attempt: number;
  dueAt: number;
}

interface Held extends OutboxEntry {
  workspaceSid: string;
  /** When a retry falls due (epoch ms). */
  dueAt: number;
  /** Arrival order, to find the oldest. */
  seq: number;
}

/** One workspace's entries: a FIFO of first attempts and a due-ordered list of retries. */
class WorkspaceBacklog {
  waiting: Held[] = [];
  head = 0;
  retries: Held[] = [];
  taken = 0;
  dropped = 0;

  get length(): number {
    return this.waiting.length - this.head + this.retries.length;
  }

  /** The next entry to offer: a retry that is due, else the oldest first attempt. */
  next(now: number): Held | undefined {
    if (this.retries.length > 0 && this.retries[0]!.dueAt <= now) return this.retries.shift();
    if (this.head >= this.waiting.length) return undefined;
    return this.shiftWaiting();
  }

  dropOldest(): Held | undefined {
    const retry = this.retries.reduce<Held | undefined>((oldest, e) => (oldest && oldest.seq < e.seq ? oldest : e), undefined);
    const first = this.waiting[this.head];
    if (first && (!retry || first.seq < retry.seq)) return this.shiftWaiting();
    if (retry) this.retries.splice(this.retries.indexOf(retry), 1);
    return retry;
  }

  scheduleRetry(entry: Held): void {
    const at = this.retries.findIndex((e) => e.dueAt > entry.dueAt);
    this.retries.splice(at < 0 ? this.retries.length : at, 0, entry);
  }

  private shiftWaiting(): Held {
    const entry = this.waiting[this.head]!;
    this.waiting[this.head++] = undefined as unknown as Held;
    // Reclaim the consumed front now and then, keeping shifts O(1) amortized.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return entry;
  }
}

/**
 * The in-process EventOutbox: bounded per workspace, fed with `add` (from `engine.onEvent`), gone on exit. Whether a
 * retry is due is read on the injected clock (delivery passes the engine's), so moving that clock moves retries; a
 * real timer only wakes the takers when the clock says the next one should be due.
 */
export class MemoryOutbox implements EventOutbox {
  private readonly backlogs = new Map<string, WorkspaceBacklog>();
  private readonly taken = new Map<string, Held>();
  private readonly listeners = new Set<() => void>();
  private seq = 0;
  private droppedTotal = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private readonly clock: Clock;

  constructor(private readonly options: MemoryOutboxOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Queues an event; drops the workspace's oldest entry when it is at its limit. */
  add(event: TaskRouterEvent): void {
    this.queue({ event, attempt: 0, dueAt: 0 });
  }

  /**
   * Queues again what a previous run left (`leaveBehind`): first attempts in the order they arrived, retries when
   * they fall due, with the attempts already made counted.
   */
  takeOver(left: readonly LeftEntry[]): void {
    for (const entry of left) this.queue(entry);
    this.armRetryTimer();
  }

  private queue({ event, attempt, dueAt }: LeftEntry): void {
    const ws = event.workspaceSid;
    let backlog = this.backlogs.get(ws);
    if (!backlog) this.backlogs.set(ws, (backlog = new WorkspaceBacklog()));
    while (backlog.length >= this.options.limitPerWorkspace && backlog.dropOldest()) {
      backlog.dropped += 1;
      this.droppedTotal += 1;
      this.options.onDrop?.(ws, backlog.dropped);
    }
    const seq = ++this.seq;
    const entry: Held = { id: String(seq), event, attempt, workspaceSid: ws, dueAt, seq };
    if (attempt > 0) backlog.scheduleRetry(entry);
    else backlog.waiting.push(entry);
    this.ready();
  }

  async take(max: number): Promise<OutboxEntry[]> {
    const now = this.clock.now();
    const out: Held[] = [];
    const served = new Set<string>();
    for (let progress = true; progress && out.length < max;) {
      progress = false;
      for (const [ws, backlog] of this.backlogs) {
        if (out.length >= max) break;
        if (this.options.inOrder && backlog.taken > 0) continue;
        const entry = backlog.next(now);
        if (!entry) continue;
        backlog.taken += 1;
        this.taken.set(entry.id, entry);
        out.push(entry);
        served.add(ws);
        progress = true;
      }
    }
    // Served workspaces go to the back of the line, so a busy one cannot starve the others.
    for (const ws of served) {
      const backlog = this.backlogs.get(ws)!;
      this.backlogs.delete(ws);
      this.backlogs.set(ws, backlog);
    }
    this.armRetryTimer(now);
    return out.map(({ id, event, attempt }) => ({ id, event, attempt }));
  }

  async done(id: string): Promise<void> {
    const entry = this.release(id);
    if (!entry) return;
    this.forgetIfEmpty(entry.workspaceSid);
    this.ready();
  }

  async retryLater(id: string, at: number): Promise<void> {
    const entry = this.release(id);
    if (!entry) return;
    entry.attempt += 1;
    entry.dueAt = at;
    this.backlogs.get(entry.workspaceSid)!.scheduleRetry(entry);
    this.armRetryTimer();
    this.ready();
  }

  onReady(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async size(): Promise<number> {
    let waiting = 0;
    for (const backlog of this.backlogs.values()) waiting += backlog.length;
    return waiting + this.taken.size;
  }

  /**
   * Wakes the takers if a retry is due by the clock, and sets the timer for the next one. The retry timer calls it
   * when it fires; whoever moved the clock may call it rather than wait for the timer.
   */
  retriesDue(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    // One reading for both: see armRetryTimer.
    const due = this.clock.now();
    this.armRetryTimer(due);
    if ([...this.backlogs.values()].some((backlog) => backlog.retries[0] !== undefined && backlog.retries[0].dueAt <= due)) this.ready();
  }

  /** Entries dropped so far because a workspace was at its limit. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** The largest number of entries any one workspace has waiting. */
  get longestBacklog(): number {
    let longest = 0;
    for (const backlog of this.backlogs.values()) longest = Math.max(longest, backlog.length);
    return longest;
  }

  async close(): Promise<void> {
    // Entries out for delivery are left too: the next run tries them again (at least once, never lost).
    this.options.leaveBehind?.(
      [...this.taken.values(), ...[...this.backlogs.values()].flatMap((b) => [...b.waiting.slice(b.head), ...b.retries])]
        .sort((a, b) => a.seq - b.seq)
        .map(({ event, attempt, dueAt }) => ({ event, attempt, dueAt })),
    );
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.backlogs.clear();
    this.taken.clear();
    this.listeners.clear();
  }

  private release(id: string): Held | undefined {
    const entry = this.taken.get(id);
    if (!entry) return undefined;
    this.taken.delete(id);
    const backlog = this.backlogs.get(entry.workspaceSid);
    if (backlog) backlog.taken -= 1;
    return entry;
  }

  private forgetIfEmpty(ws: string): void {
    const backlog = this.backlogs.get(ws);
    if (backlog && backlog.length === 0 && backlog.taken === 0) this.backlogs.delete(ws);
  }

  private ready(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * Wakes the takers when the next retry falls due after `now`. Retries due by `now` need no timer: the caller saw
   * them (a take that left them held back, their workspace having an entry out, whose return signals readiness; or
   * the timer, which signals it). One `now` for both, or a retry falling due between the two looks would be seen by
   * neither and wait forever.
   */
  private armRetryTimer(now = this.clock.now()): void {
    let earliest = Infinity;
    for (const backlog of this.backlogs.values()) {
      for (const entry of backlog.retries) if (entry.dueAt > now && entry.dueAt < earliest) earliest = entry.dueAt;
    }
    if (this.timer && this.timerAt <= earliest) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = earliest;
    if (earliest === Infinity) return;
    // Timers run on the event loop's clock, which can lag the clock retries are dated by (or that clock was moved):
    // a timer that fires before its retry is due wakes nobody and is set again for what remains.
    this.timer = setTimeout(() => this.retriesDue(), earliest - now);
    this.timer.unref();
  }
}

import type { TaskRouterEvent } from '../core/events/index.js';

/** One event waiting to be delivered somewhere, and how many times delivering it has already been tried. */
export interface OutboxEntry {
  /** Identifies the entry to `done` and `retryLater`; unique within its outbox. */
  id: string;
  event: TaskRouterEvent;
  /** Attempts made before this one (0 on the first). */
  attempt: number;
}

/**
 * Where events wait for delivery to an HTTP receiver (EventCallbackUrl, AssignmentCallbackUrl). A delivery loop
 * takes entries, tries them, and reports each back as `done` (delivered, skipped, or given up on) or `retryLater`.
 * A taken entry is leased to its taker until then: nobody else gets it.
 *
 * The seam exists so delivery can move from one process to many without touching the delivery loop. The in-process
 * implementation (`MemoryOutbox`) is fed by `engine.onEvent` and loses its content on exit. The shared one
 * (`RedisOutbox`) reads the stream the store already appends each commit's events to, through a consumer group:
 * `take` is XREADGROUP (plus a claim of entries whose taker stopped renewing them, so a crash means a second
 * attempt, never a lost event), `done` is XACK, `retryLater` keeps the entry pending and scores it by `at` in a
 * retry sorted set that re-offers it when due. Each event is then delivered once across instances, at least once
 * overall.
 */
export interface EventOutbox {
  /**
   * Up to `max` entries ready now. An implementation may hold back entries to keep an order (one entry at a time
   * per workspace, say); those come in later calls, once the entries before them are done.
   */
  take(max: number): Promise<OutboxEntry[]>;
  /** The entry needs no more attempts. */
  done(id: string): Promise<void>;
  /** The attempt failed: offer the entry again at `at` (epoch ms), counting one more attempt. */
  retryLater(id: string, at: number): Promise<void>;
  /** Calls `listener` whenever `take` may return something it did not before. Returns the unsubscribe function. */
  onReady(listener: () => void): () => void;
  /** Entries not yet done: waiting, due for a retry later, or taken. */
  size(): Promise<number>;
  /** Stops timers and lets go of whatever is held. */
  close(): Promise<void>;
}

/** An outbox that reports how well it keeps up. */
export interface MeasuredOutbox extends EventOutbox {
  /** Entries lost before delivery (dropped at a backlog limit, or trimmed away while waiting). */
  readonly dropped: number;
  /** The most entries any one workspace has waiting (bounded by the outbox's per-workspace limit). */
  readonly longestBacklog: number;
}

/**
 * A snapshot's share of the event loop while it is written: at most one part in `1 + RESTS_PER_WORK`. Serialising a
 * large state (10,000 workers and the events kept, tens of MB of JSON) costs a third of a second of the main thread;
 * written as fast as the disk took it, it came on top of routing at full load, and creates queued behind it for half
 * a second (docs/performance-push.md, "The journal's snapshot"). Redis rewrites its AOF in a child process; here the
 * snapshot rests after each stretch of work for some multiple of that stretch, so routing keeps the rest.
 */
const RESTS_PER_WORK = 9;

/** Rests longer than this are cut short: a stretch of work that took that long was the machine's, not the snapshot's. */
const LONGEST_REST_MS = 100;

/** Times a snapshot's stretches of work on the event loop, and rests after each in proportion. */
export class SnapshotPace {
  private since = performance.now();

  /** How long the stretch of work since the last rest has taken (ms); called as the stretch ends. */
  stretch(): number {
    return performance.now() - this.since;
  }

  /**
   * The rest a stretch of `workedMs` earns, then the next stretch begins. No rest when `hurry` says the journal is
   * closing: a process shutting down waits for its snapshot.
   */
  async rest(workedMs: number, hurry: () => boolean): Promise<void> {
    if (!hurry()) await new Promise((resolve) => setTimeout(resolve, Math.min(LONGEST_REST_MS, workedMs * RESTS_PER_WORK)));
    this.since = performance.now();
  }
}

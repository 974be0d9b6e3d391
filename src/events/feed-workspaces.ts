/** What one process knows of one workspace's delivery group. */
export interface FeedWorkspace {
  /** Whether the group existed (the workspace had a receiver) when last synced or taken from. */
  open: boolean;
  /** When it was last synced (ms). */
  syncedAt: number;
  /** Where the next scan for abandoned entries starts. */
  cursor: string;
  /** Entries taken here and not yet settled. */
  inFlight: number;
  /** Entries the group had pending at the last take (all consumers). */
  pending: number;
}

/**
 * The workspaces a delivery outbox knows, and which of them to read next. In-process bookkeeping only: the truth
 * (whether a group exists, what is pending) stays in Redis, and a wrong guess here costs one script call, never an
 * event. Memory is one small record per workspace seen; those without a receiver are forgotten once stale.
 */
export class FeedWorkspaces {
  private readonly known = new Map<string, FeedWorkspace>();
  /** Open workspaces, in the order the poll visits them. */
  private readonly open = new Set<string>();
  /** Open workspaces that may have entries to take, in the order takes visit them. */
  private readonly dirty = new Set<string>();
  /**
   * Workspaces whose group must be synced with their records before they are read (or left alone), each with the
   * number of the request: a sync answers only the requests made before it was sent.
   */
  private readonly syncRequests = new Map<string, number>();
  private requests = 0;

  constructor(private readonly syncTtlMs: number) {}

  get(workspaceSid: string): FeedWorkspace | undefined {
    return this.known.get(workspaceSid);
  }

  /**
   * An event of the workspace was committed here. `gateChanged`: its configuration may have changed, so the group
   * is synced whatever is known.
   */
  notice(workspaceSid: string, gateChanged: boolean, now: number): void {
    const known = this.known.get(workspaceSid);
    if (gateChanged || !known || now - known.syncedAt > this.syncTtlMs) this.syncRequests.set(workspaceSid, ++this.requests);
    else if (known.open) this.dirty.add(workspaceSid);
  }

  /** Up to `count` workspaces waiting for a sync, with their request numbers. */
  syncsWanted(count: number): Array<[string, number]> {
    return [...take(this.syncRequests, count)];
  }

  /** A sync sent after request `request` answered; a request made since stays. */
  syncAnswered(workspaceSid: string, request: number): void {
    if (this.syncRequests.get(workspaceSid) === request) this.syncRequests.delete(workspaceSid);
  }

  get syncsWaiting(): number {
    return this.syncRequests.size;
  }

  wantsSync(workspaceSid: string): boolean {
    return this.syncRequests.has(workspaceSid);
  }

  /** Records what a sync (or a take finding no group) said. An open workspace is read next. */
  synced(workspaceSid: string, open: boolean, now: number): void {
    const known = this.known.get(workspaceSid);
    // Re-inserted so the map stays ordered by sync time: stale entries sit at the front.
    this.known.delete(workspaceSid);
    this.known.set(workspaceSid, { cursor: '0-0', inFlight: 0, pending: 0, ...known, open, syncedAt: now });
    if (open) {
      this.open.add(workspaceSid);
      this.dirty.add(workspaceSid);
    } else {
      this.open.delete(workspaceSid);
      this.dirty.delete(workspaceSid);
    }
  }

  /** Listed elsewhere as having an open group: read like one until a take says otherwise. */
  listed(workspaceSid: string, now: number): void {
    if (!this.known.get(workspaceSid)?.open) this.synced(workspaceSid, true, now);
  }

  /** The workspace may have entries to take (one was settled, a retry fell due). */
  touch(workspaceSid: string): void {
    if (this.open.has(workspaceSid)) this.dirty.add(workspaceSid);
  }

  /** A take found nothing more for now. */
  clean(workspaceSid: string): void {
    this.dirty.delete(workspaceSid);
  }

  /** Marks the next `count` open workspaces, round robin, for a look: what no hint announced (other processes). */
  touchNextOpen(count: number): void {
    const next = [...take(this.open, Math.min(count, this.open.size))];
    for (const ws of next) {
      this.open.delete(ws);
      this.open.add(ws);
      this.dirty.add(ws);
    }
  }

  /** Up to `count` dirty workspaces that `blocked` does not rule out, moved to the back of the line. */
  nextDirty(count: number, blocked: (ws: string) => boolean): string[] {
    const picked: string[] = [];
    for (const ws of this.dirty) {
      if (picked.length >= count) break;
      if (!blocked(ws)) picked.push(ws);
    }
    for (const ws of picked) {
      this.dirty.delete(ws);
      this.dirty.add(ws);
    }
    return picked;
  }

  hasDirty(blocked: (ws: string) => boolean): boolean {
    for (const ws of this.dirty) if (!blocked(ws)) return true;
    return false;
  }

  openWorkspaces(): string[] {
    return [...this.open];
  }

  /** The largest pending count seen at the last take of any open workspace. */
  longestPending(): number {
    let longest = 0;
    for (const ws of this.open) longest = Math.max(longest, this.known.get(ws)?.pending ?? 0);
    return longest;
  }

  /** Forgets workspaces without a receiver not synced for `staleMs`, looking at no more than `limit` entries. */
  forgetStale(now: number, staleMs: number, limit: number): void {
    let looked = 0;
    for (const [ws, known] of this.known) {
      if (looked++ >= limit || now - known.syncedAt <= staleMs) break;
      if (!known.open && known.inFlight === 0 && !this.syncRequests.has(ws)) this.known.delete(ws);
    }
  }
}

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let n = 0;
  for (const item of items) {
    yield item;
    if (++n >= count) return;
  }
}

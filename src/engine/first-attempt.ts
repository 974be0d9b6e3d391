import { TwilioError } from '../core/errors.js';
import type { RoutingStore } from '../store/routing-store.js';
import type { WorkspaceConfig, WorkspaceConfigCache } from './workspace-config.js';

/**
 * The first-attempt hint. A transaction's first attempt trusts what is already in hand instead of reading it again:
 * the workspace configuration cached in this process (the workspace record is not read to check its version), and a
 * record its caller has just written or read. Its commit checks every version it relied on, so a stale copy can
 * decide nothing durable: it loses the race, and every later attempt reads afresh. An error a stale configuration
 * could explain (a queue another process created moments ago) is retried once on a verified one. What it saves is
 * counted in requests per operation by `bench/redis-commands.ts` (docs/performance.md, "Hints in the routing core").
 */

/** A record in hand for a transaction's first attempt only. */
export class FirstAttempt<T> {
  constructor(private held: T | undefined) {}

  /** The record in hand the first time; undefined after that (read it). */
  take(): T | undefined {
    const held = this.held;
    this.held = undefined;
    return held;
  }
}

/** The workspace configuration each attempt of one transaction works with: the cached one first, then verified ones. */
export class AttemptConfiguration {
  private verified = false;

  constructor(
    private readonly configs: WorkspaceConfigCache,
    private readonly store: RoutingStore,
    private readonly workspaceSid: string,
  ) {}

  /** The configuration for the next attempt. */
  async next(): Promise<WorkspaceConfig> {
    const cached = this.verified ? undefined : this.configs.peek(this.workspaceSid);
    if (cached) return cached;
    this.verified = true;
    return this.configs.get(this.store, this.workspaceSid);
  }

  /** Whether `err`, thrown by an attempt, may come of a stale configuration: the attempt is then made again, verified. */
  mayBeStale(err: unknown): boolean {
    if (this.verified || !(err instanceof TwilioError)) return false;
    this.verified = true;
    return true;
  }

  /** The attempt lost a race: the next one works on a verified configuration. */
  lostRace(): void {
    this.verified = true;
  }
}

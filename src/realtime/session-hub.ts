import type { BridgeSession } from './bridge-session.js';

/** One workspace's sessions here: by the worker they act as, and those that name no worker (its watchers). */
interface WorkspaceSessions {
  count: number;
  byWorker: Map<string, Set<BridgeSession>>;
  watchers: Set<BridgeSession>;
}

const NONE: readonly BridgeSession[] = [];

/**
 * The bridge sessions connected to this process, by workspace and by worker: where a frame for a worker, or for
 * everyone watching a workspace, is sent. Every event of a workspace looks its workers' sessions up here, so a
 * lookup costs the same with ten sessions as with ten thousand (docs/performance-push.md).
 */
export class SessionHub {
  private readonly byWorkspace = new Map<string, WorkspaceSessions>();

  add(session: BridgeSession): void {
    let sessions = this.byWorkspace.get(session.workspaceSid);
    if (!sessions) this.byWorkspace.set(session.workspaceSid, (sessions = { count: 0, byWorker: new Map(), watchers: new Set() }));
    const worker = session.workerSid;
    let set = worker === null ? sessions.watchers : sessions.byWorker.get(worker);
    if (!set) sessions.byWorker.set(worker!, (set = new Set()));
    if (set.has(session)) return;
    set.add(session);
    sessions.count += 1;
  }

  remove(session: BridgeSession): void {
    const sessions = this.byWorkspace.get(session.workspaceSid);
    if (!sessions) return;
    const worker = session.workerSid;
    const set = worker === null ? sessions.watchers : sessions.byWorker.get(worker);
    if (!set?.delete(session)) return;
    if (worker !== null && set.size === 0) sessions.byWorker.delete(worker);
    if (--sessions.count === 0) this.byWorkspace.delete(session.workspaceSid);
  }

  /** Every session of the workspace: its workers', its supervisors' and its server-side consumers'. */
  inWorkspace(workspaceSid: string): BridgeSession[] {
    const sessions = this.byWorkspace.get(workspaceSid);
    if (!sessions) return [];
    return [...sessions.watchers, ...[...sessions.byWorker.values()].flatMap((set) => [...set])];
  }

  /** The sessions acting as `workerSid`. */
  ofWorker(workspaceSid: string, workerSid: string): readonly BridgeSession[] {
    const set = this.byWorkspace.get(workspaceSid)?.byWorker.get(workerSid);
    return set ? [...set] : NONE;
  }

  /** Whether any session here acts as `workerSid`. */
  hasWorker(workspaceSid: string, workerSid: string): boolean {
    return this.byWorkspace.get(workspaceSid)?.byWorker.has(workerSid) ?? false;
  }

  /** Whether any session here acts as a worker of the workspace. */
  hasAnyWorker(workspaceSid: string): boolean {
    return (this.byWorkspace.get(workspaceSid)?.byWorker.size ?? 0) > 0;
  }

  /** Whether any session here watches the workspace (names no worker). */
  hasWatchers(workspaceSid: string): boolean {
    return (this.byWorkspace.get(workspaceSid)?.watchers.size ?? 0) > 0;
  }

  /** The workspace's sessions that name no worker: server-side consumers with an admin token. */
  watchersOf(workspaceSid: string): readonly BridgeSession[] {
    const watchers = this.byWorkspace.get(workspaceSid)?.watchers;
    return watchers && watchers.size > 0 ? [...watchers] : NONE;
  }

  /** Workspaces with at least one session here: whose events this process must follow. */
  workspaces(): string[] {
    return [...this.byWorkspace.keys()];
  }

  /** How many sessions each workspace has here, without listing them. */
  countsByWorkspace(): Map<string, number> {
    return new Map([...this.byWorkspace].map(([ws, sessions]) => [ws, sessions.count]));
  }

  all(): BridgeSession[] {
    return [...this.byWorkspace.keys()].flatMap((ws) => this.inWorkspace(ws));
  }
}

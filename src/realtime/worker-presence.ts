import type { ActivityRecord } from '../core/model.js';
import type { RoutingEngine } from '../engine/engine.js';
import { log } from '../telemetry/log.js';

/** One connected session of a worker, wherever it is connected. */
export interface PresenceEntry {
  workspaceSid: string;
  workerSid: string;
  sessionId: string;
  /** A digest of the session's token: a replaced session's token is refused from then on. */
  tokenId: string;
  /** When the token expires (epoch ms): a refusal need not be remembered longer. */
  expiresAt: number;
  /** The SDK asked for its worker to go offline once it has no session left (`setWorkerOfflineIfDisconnected`). */
  offlineIfGone: boolean;
}

/**
 * Which workers have sessions connected, across every instance serving the bridge. It replaces a worker's sessions
 * when a new one asks to (`closeExistingSessions`): every instance is told to close the others, and their tokens are
 * refused from then on, so the replaced SDK's automatic reconnect does not take the worker back. And it takes a
 * worker offline once its last session has been gone for a grace period, so a reconnect after a network blip or a
 * server restart does not change the agent's state.
 */
export interface WorkerPresence {
  connected(entry: PresenceEntry, options: { closeExisting: boolean }): Promise<void>;
  /**
   * The session's socket closed. `shuttingDown`: this instance is stopping, and the client may reconnect to another;
   * whether its worker is then gone is for the other instances to judge.
   */
  disconnected(entry: PresenceEntry, options: { shuttingDown: boolean }): Promise<void>;
  isReplaced(workspaceSid: string, tokenId: string): Promise<boolean>;
  /** Calls `listener` when a worker's sessions but `keep` are to be closed, on this instance or any other. */
  onReplaced(listener: (workspaceSid: string, workerSid: string, keep: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * The activity a disconnected worker is moved to: the workspace's unavailable activity named Offline (every new
 * workspace has one), else its timeout activity, else any unavailable one. Null when it has no unavailable activity.
 */
export function offlineActivity(activities: Iterable<ActivityRecord>, timeoutActivitySid: string | null): ActivityRecord | null {
  const unavailable = [...activities].filter((a) => !a.available);
  return unavailable.find((a) => a.friendlyName.toLowerCase() === 'offline') ?? unavailable.find((a) => a.sid === timeoutActivitySid) ?? unavailable[0] ?? null;
}

/** Moves the worker offline, rejecting what it was offered meanwhile (nobody is there to answer). */
export async function takeOffline(engine: RoutingEngine, workspaceSid: string, workerSid: string): Promise<void> {
  const config = await engine.workspaceConfig(workspaceSid);
  const offline = offlineActivity(config.activities.values(), config.workspace.timeoutActivitySid);
  const worker = await engine.store.get(workspaceSid, 'worker', workerSid);
  if (!offline || !worker || worker.activitySid === offline.sid) return;
  await engine.updateWorker(workspaceSid, workerSid, { activitySid: offline.sid, rejectPendingReservations: true });
}

const key = (workspaceSid: string, workerSid: string): string => `${workspaceSid}/${workerSid}`;

/** Presence within one process: the embedded store's, where every session is connected here. */
export class MemoryWorkerPresence implements WorkerPresence {
  private readonly sessions = new Map<string, Map<string, PresenceEntry>>();
  private readonly replaced = new Map<string, number>();
  private readonly listeners = new Set<(workspaceSid: string, workerSid: string, keep: string) => void>();
  private readonly graceTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly engine: RoutingEngine,
    private readonly graceMs: number,
  ) {}

  async connected(entry: PresenceEntry, options: { closeExisting: boolean }): Promise<void> {
    const id = key(entry.workspaceSid, entry.workerSid);
    let sessions = this.sessions.get(id);
    if (!sessions) this.sessions.set(id, (sessions = new Map()));
    if (options.closeExisting) {
      for (const other of sessions.values()) if (other.tokenId !== entry.tokenId) this.replaced.set(other.tokenId, other.expiresAt);
      sessions.clear();
      for (const listener of this.listeners) listener(entry.workspaceSid, entry.workerSid, entry.sessionId);
    }
    sessions.set(entry.sessionId, entry);
  }

  async disconnected(entry: PresenceEntry, options: { shuttingDown: boolean }): Promise<void> {
    const id = key(entry.workspaceSid, entry.workerSid);
    const sessions = this.sessions.get(id);
    sessions?.delete(entry.sessionId);
    if (sessions?.size === 0) this.sessions.delete(id);
    // Stopping this process stops every session of the embedded store: there is no other instance to reconnect to.
    if (!entry.offlineIfGone || options.shuttingDown) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(timer);
      if (this.sessions.has(id)) return;
      takeOffline(this.engine, entry.workspaceSid, entry.workerSid).catch((err: unknown) =>
        log.error({ err, workspace_sid: entry.workspaceSid, worker_sid: entry.workerSid }, 'could not take a disconnected worker offline'),
      );
    }, this.graceMs);
    this.graceTimers.add(timer);
  }

  async isReplaced(_workspaceSid: string, tokenId: string): Promise<boolean> {
    const until = this.replaced.get(tokenId);
    if (until === undefined) return false;
    if (until > this.engine.clock.now()) return true;
    this.replaced.delete(tokenId);
    return false;
  }

  onReplaced(listener: (workspaceSid: string, workerSid: string, keep: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const timer of this.graceTimers) clearTimeout(timer);
    this.graceTimers.clear();
  }
}

import type { BridgeSession } from './bridge-session.js';

/**
 * The bridge sessions connected to this process, by workspace and by worker: where a frame for a worker, or for
 * everyone watching a workspace, is sent.
 */
export class SessionHub {
  private readonly byWorkspace = new Map<string, Set<BridgeSession>>();

  add(session: BridgeSession): void {
    let sessions = this.byWorkspace.get(session.workspaceSid);
    if (!sessions) this.byWorkspace.set(session.workspaceSid, (sessions = new Set()));
    sessions.add(session);
  }

  remove(session: BridgeSession): void {
    const sessions = this.byWorkspace.get(session.workspaceSid);
    if (!sessions?.delete(session)) return;
    if (sessions.size === 0) this.byWorkspace.delete(session.workspaceSid);
  }

  /** Every session of the workspace: its workers', its supervisors' and its server-side consumers'. */
  inWorkspace(workspaceSid: string): BridgeSession[] {
    return [...(this.byWorkspace.get(workspaceSid) ?? [])];
  }

  /** The sessions acting as `workerSid`. */
  ofWorker(workspaceSid: string, workerSid: string): BridgeSession[] {
    return this.inWorkspace(workspaceSid).filter((s) => s.workerSid === workerSid);
  }

  /** Workspaces with at least one session here: whose events this process must follow. */
  workspaces(): string[] {
    return [...this.byWorkspace.keys()];
  }

  /** How many sessions each workspace has here, without listing them. */
  countsByWorkspace(): Map<string, number> {
    return new Map([...this.byWorkspace].map(([ws, sessions]) => [ws, sessions.size]));
  }

  all(): BridgeSession[] {
    return [...this.byWorkspace.values()].flatMap((sessions) => [...sessions]);
  }
}

import { forbidden } from '../core/errors.js';
import type { TaskRouterGrantClaims } from './taskrouter-token.js';

/**
 * What a TaskRouter token may reach. An `admin` token (the SDK's Supervisor and Workspace) reaches everything in its
 * workspace; a `worker` token reaches its own worker, its own reservations, and the tasks it holds a reservation for.
 * Every check throws 403 (20403) and is made before anything is read for the caller or changed.
 */
export class TokenScope {
  constructor(readonly claims: TaskRouterGrantClaims) {}

  get isAdmin(): boolean {
    return this.claims.role === 'admin';
  }

  /** The worker a worker token acts as; null for an admin token that names none. */
  get workerSid(): string | null {
    return this.claims.workerSid;
  }

  workspace(workspaceSid: string): void {
    if (workspaceSid !== this.claims.workspaceSid) throw forbidden(`This token is not for workspace ${workspaceSid}`);
  }

  /** Reading or changing a worker (its activity, attributes, channels, reservations). */
  worker(workspaceSid: string, workerSid: string): void {
    this.workspace(workspaceSid);
    if (!this.isAdmin && workerSid !== this.claims.workerSid) throw forbidden(`This token may not act for worker ${workerSid}`);
  }

  /**
   * Reading or changing a task: an admin may; a worker only while `holdsReservation` says one of its reservations is
   * for the task (asked of the store by the caller, so this module stays free of I/O).
   */
  async task(workspaceSid: string, taskSid: string, holdsReservation: (workerSid: string) => Promise<boolean>): Promise<void> {
    this.workspace(workspaceSid);
    if (this.isAdmin) return;
    if (!this.claims.workerSid || !(await holdsReservation(this.claims.workerSid))) throw forbidden(`This token holds no reservation for task ${taskSid}`);
  }

  /** What only a supervisor or administrator may do (workspace-wide lists, other workers' statistics, monitoring). */
  admin(workspaceSid: string): void {
    this.workspace(workspaceSid);
    if (!this.isAdmin) throw forbidden('This needs a token with the admin role');
  }
}

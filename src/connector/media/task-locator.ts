import type { TaskRecord } from '../../core/model.js';
import { isSid } from '../../core/sid.js';
import type { RoutingEngine } from '../../engine/engine.js';
import type { ConnectorDirectory } from '../connector-directory.js';

/**
 * A task by sid, in `workspaceSid` when given, else in the workspaces of the connector's phone numbers — where
 * every task with a call comes from — so a supervisor can listen knowing only the task.
 */
export async function locateTask(
  engine: RoutingEngine,
  directory: ConnectorDirectory,
  taskSid: string,
  workspaceSid: string | null,
): Promise<TaskRecord | null> {
  if (!isSid(taskSid, 'WT')) return null;
  if (workspaceSid) return isSid(workspaceSid, 'WS') ? engine.store.get(workspaceSid, 'task', taskSid) : null;
  const workspaces = new Set((await directory.listPhoneNumbers()).map((n) => n.workspaceSid));
  for (const ws of workspaces) {
    const task = await engine.store.get(ws, 'task', taskSid);
    if (task) return task;
  }
  return null;
}

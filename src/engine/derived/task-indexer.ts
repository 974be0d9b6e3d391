import type { TaskRecord } from '../../core/model.js';
import { isLiveStatus, isWaiting } from '../task-state.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import { DerivedEntries } from './entries.js';
import {
  ageIndex,
  enteredIndex,
  pendingIndex,
  pendingMember,
  priorityKey,
  queueGroup,
  statusKey,
  timeMember,
  workflowGroup,
  WORKSPACE_GROUP,
  type TaskScopeGroup,
} from './schema.js';

/**
 * What a task contributes to the derived state: one pending member in its current queue and channel while it waits
 * for workers, and what statistics read of it — its status (and priority and age while pending or reserved) counted
 * in the workspace, its queue and its workflow, and its time of entry into its queue.
 */
export function taskEntries(task: TaskRecord, config: WorkspaceConfig): DerivedEntries {
  const entries = new DerivedEntries();
  const live = isLiveStatus(task.assignmentStatus);
  const channel = task.taskChannelSid;
  for (const scope of scopesOf(task)) {
    entries.count(scope, statusKey(task.assignmentStatus, channel));
    if (!live) continue;
    entries.count(scope, priorityKey(task.priority, channel));
    entries.member(ageIndex(scope), timeMember(task.dateCreated, task.sid));
  }
  if (live && task.taskQueueSid) entries.member(enteredIndex(task.taskQueueSid), timeMember(task.taskQueueEnteredAt ?? task.dateCreated, task.sid));
  if (!isWaiting(task)) return entries;
  const queue = config.queues.get(task.target!.queueSid);
  if (queue) entries.member(pendingIndex(queue.sid, channel), pendingMember(task.priority, task.virtualStartTime, queue.taskOrder, task.sid));
  return entries;
}

/** The scopes a task is counted in. */
function scopesOf(task: TaskRecord): TaskScopeGroup[] {
  const scopes = [WORKSPACE_GROUP];
  if (task.taskQueueSid) scopes.push(queueGroup(task.taskQueueSid));
  if (task.workflowSid) scopes.push(workflowGroup(task.workflowSid));
  return scopes;
}

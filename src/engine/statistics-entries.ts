import type { TaskRecord, WorkerRecord } from '../core/model.js';
import { counterEntry, indexEntry } from './change.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * What real-time statistics are read from, kept current by every commit (Change.reindex diffs them like index
 * entries), so a statistics request reads a few counters and index heads instead of scanning tasks or workers.
 *
 * Counter groups: `ws` (the workspace), `q:<WQ>` (a queue), `wf:<WW>` (a workflow), `workers`.
 *   status:<status>:<TC>          tasks by assignment status, per channel (readers sum channels for the total)
 *   priority:<priority>:<TC>      pending and reserved tasks by priority, per channel
 *   activity:<WA>, total          workers by activity (group `workers`)
 *   members:activity:<WA>, members:available   a queue's eligible workers by activity, and those available
 * Indexes (members <ms:15>:<sid>): `age:ws`, `age:q:<WQ>`, `age:wf:<WW>` — pending and reserved tasks, oldest
 * first by creation; `entered:<WQ>` — the same in a queue, oldest first by entry into it.
 */

const LIVE = new Set(['pending', 'reserved']);

/** Pending and reserved: the statuses of the tasks the age indexes hold. */
export const isLiveStatus = (status: string): boolean => LIVE.has(status);

export const ageIndex = (scope: string): string => `age:${scope}`;
export const enteredIndex = (queueSid: string): string => `entered:${queueSid}`;

/** Counter groups a task belongs to. */
export function taskScopes(task: Pick<TaskRecord, 'taskQueueSid' | 'workflowSid'>): string[] {
  const scopes = ['ws'];
  if (task.taskQueueSid) scopes.push(`q:${task.taskQueueSid}`);
  if (task.workflowSid) scopes.push(`wf:${task.workflowSid}`);
  return scopes;
}

export function taskStatisticsEntries(task: TaskRecord, entries: Set<string>): void {
  const live = isLiveStatus(task.assignmentStatus);
  const channel = task.taskChannelSid;
  for (const scope of taskScopes(task)) {
    entries.add(counterEntry(scope, `status:${task.assignmentStatus}:${channel}`));
    if (!live) continue;
    entries.add(counterEntry(scope, `priority:${task.priority}:${channel}`));
    entries.add(indexEntry(ageIndex(scope), timeMember(task.dateCreated, task.sid)));
  }
  if (live && task.taskQueueSid) {
    entries.add(indexEntry(enteredIndex(task.taskQueueSid), timeMember(task.taskQueueEnteredAt ?? task.dateCreated, task.sid)));
  }
}

export function workerStatisticsEntries(worker: WorkerRecord, config: WorkspaceConfig, queueSids: string[], entries: Set<string>): void {
  entries.add(counterEntry('workers', `activity:${worker.activitySid}`));
  entries.add(counterEntry('workers', 'total'));
  const available = config.activities.get(worker.activitySid)?.available === true;
  for (const q of queueSids) {
    entries.add(counterEntry(`q:${q}`, `members:activity:${worker.activitySid}`));
    if (available) entries.add(counterEntry(`q:${q}`, 'members:available'));
  }
}

export function timeMember(ms: number, sid: string): string {
  return `${String(Math.max(0, Math.floor(ms))).padStart(15, '0')}:${sid}`;
}

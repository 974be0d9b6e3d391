import type { TaskQueueRecord, WorkerRecord } from '../core/model.js';
import { pendingIndex, type IndexName } from './derived/schema.js';
import { matches, targetWorkersScope } from './routing-scope.js';
import { channelState, totalTaskCount } from './worker-channels.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * Whether the worker could take one more task on the channel right now: in an available activity, channel
 * available with free capacity — and in a single-tasking workspace, no task at all.
 */
export function canTakeTask(worker: WorkerRecord, channelSid: string, config: WorkspaceConfig): boolean {
  if (config.activities.get(worker.activitySid)?.available !== true) return false;
  const st = channelState(worker, channelSid);
  if (!st.available || st.taskCount >= st.capacity) return false;
  return config.workspace.multiTaskEnabled || totalTaskCount(worker) === 0;
}

/** The pending indexes a worker could take a task from now, one per queue of its and channel it has room on. */
export function pendingSources(worker: WorkerRecord, config: WorkspaceConfig): Array<{ queue: TaskQueueRecord; index: IndexName }> {
  const channels = config.channels.filter((c) => canTakeTask(worker, c.sid, config));
  if (channels.length === 0) return [];
  const queues = worker.queueSids.flatMap((sid) => config.queues.get(sid) ?? []);
  return queues.flatMap((queue) => channels.map((channel) => ({ queue, index: pendingIndex(queue.sid, channel.sid) })));
}

/** Longest-idle ordering key: the later of its last reservation on the channel and its return to availability. */
export function idleSince(worker: WorkerRecord, channelSid: string): number {
  return Math.max(channelState(worker, channelSid).lastReservedAt ?? 0, worker.availableSince);
}

/** The queues whose TargetWorkers the worker matches. An empty expression matches nobody. */
export function matchingQueueSids(worker: WorkerRecord, config: WorkspaceConfig, now: number): string[] {
  const scope = targetWorkersScope(worker, config, now);
  const sids: string[] = [];
  for (const q of config.queues.values()) {
    if (q.targetWorkers.trim() !== '' && matches(q.targetWorkers, scope)) sids.push(q.sid);
  }
  return sids;
}

/** The worker moved to another activity; entering availability from unavailability restarts its idle clock. */
export function withActivity(worker: WorkerRecord, activitySid: string, config: WorkspaceConfig, now: number): WorkerRecord {
  if (activitySid === worker.activitySid) return worker;
  const wasAvailable = config.activities.get(worker.activitySid)?.available === true;
  const isAvailable = config.activities.get(activitySid)?.available === true;
  return {
    ...worker,
    activitySid,
    dateStatusChanged: now,
    availableSince: isAvailable && !wasAvailable ? now : worker.availableSince,
  };
}

/** One more (delta 1, on reservation) or one fewer (delta −1, when it ends) task held on a channel. */
export function withTaskCount(worker: WorkerRecord, channelSid: string, delta: 1 | -1, now: number): WorkerRecord {
  const st = channelState(worker, channelSid);
  return {
    ...worker,
    channels: {
      ...worker.channels,
      [channelSid]: {
        ...st,
        taskCount: Math.max(0, st.taskCount + delta),
        lastReservedAt: delta > 0 ? now : st.lastReservedAt,
        dateUpdated: now,
      },
    },
  };
}

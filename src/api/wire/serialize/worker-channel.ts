import type { TaskChannelRecord, WorkerRecord } from '../../../core/model.js';
import { derivedSid } from '../../../core/sid.js';
import { channelState } from '../../../engine/worker-state.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** A worker's channel SID: derived from the worker and task channel, so it is stable without being stored. */
export function workerChannelSid(workerSid: string, taskChannelSid: string): string {
  return derivedSid('WC', workerSid, taskChannelSid);
}

/** Share of the channel's capacity still free, 0–100 (0 when the capacity is 0). */
export function availableCapacityPercentage(capacity: number, taskCount: number): number {
  if (capacity <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round(((capacity - taskCount) / capacity) * 100)));
}

/** A WorkerChannel as TaskRouter returns it. */
export function serializeWorkerChannel(worker: WorkerRecord, channel: TaskChannelRecord, ctx: WireContext): Record<string, unknown> {
  const st = channelState(worker, channel.sid);
  const sid = workerChannelSid(worker.sid, channel.sid);
  return {
    account_sid: ctx.config.workspace.accountSid,
    assigned_tasks: st.taskCount,
    available: st.available,
    available_capacity_percentage: availableCapacityPercentage(st.capacity, st.taskCount),
    configured_capacity: st.capacity,
    date_created: formatDate(st.dateCreated),
    date_updated: formatDate(st.dateUpdated),
    sid,
    task_channel_sid: channel.sid,
    task_channel_unique_name: channel.uniqueName,
    worker_sid: worker.sid,
    workspace_sid: worker.workspaceSid,
    url: workspaceUrl(ctx, worker.workspaceSid, `/Workers/${worker.sid}/Channels/${sid}`),
  };
}

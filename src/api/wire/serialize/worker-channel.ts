import type { TaskChannelRecord, WorkerRecord } from '../../../core/model.js';
import { availableCapacityPercentage, channelState, workerChannelSid } from '../../../engine/worker-channels.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** A WorkerChannel as TaskRouter returns it. */
export function serializeWorkerChannel(worker: WorkerRecord, channel: TaskChannelRecord, ctx: WireContext): Record<string, unknown> {
  const st = channelState(worker, channel.sid);
  const sid = workerChannelSid(worker.sid, channel.sid);
  return {
    account_sid: ctx.config.workspace.accountSid,
    assigned_tasks: st.taskCount,
    available: st.available,
    available_capacity_percentage: availableCapacityPercentage(st),
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

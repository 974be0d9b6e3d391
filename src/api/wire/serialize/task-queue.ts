import type { TaskQueueRecord } from '../../../core/model.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** A TaskQueue as TaskRouter returns it. */
export function serializeTaskQueue(q: TaskQueueRecord, ctx: WireContext): Record<string, unknown> {
  const ws = q.workspaceSid;
  const url = (path = '') => workspaceUrl(ctx, ws, path);
  const activityName = (sid: string | null) => (sid ? (ctx.config.activities.get(sid)?.friendlyName ?? null) : null);
  return {
    account_sid: ctx.config.workspace.accountSid,
    assignment_activity_sid: q.assignmentActivitySid,
    assignment_activity_name: activityName(q.assignmentActivitySid),
    date_created: formatDate(q.dateCreated),
    date_updated: formatDate(q.dateUpdated),
    friendly_name: q.friendlyName,
    max_reserved_workers: q.maxReservedWorkers,
    reservation_activity_sid: q.reservationActivitySid,
    reservation_activity_name: activityName(q.reservationActivitySid),
    sid: q.sid,
    target_workers: q.targetWorkers,
    task_order: q.taskOrder,
    url: url(`/TaskQueues/${q.sid}`),
    workspace_sid: ws,
    links: {
      assignment_activity: q.assignmentActivitySid ? url(`/Activities/${q.assignmentActivitySid}`) : null,
      reservation_activity: q.reservationActivitySid ? url(`/Activities/${q.reservationActivitySid}`) : null,
      workspace: url(),
      statistics: url(`/TaskQueues/${q.sid}/Statistics`),
      real_time_statistics: url(`/TaskQueues/${q.sid}/RealTimeStatistics`),
      cumulative_statistics: url(`/TaskQueues/${q.sid}/CumulativeStatistics`),
      list_statistics: url('/TaskQueues/Statistics'),
      bulk_real_time_statistics: url('/TaskQueues/RealTimeStatistics'),
    },
  };
}

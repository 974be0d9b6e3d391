import type { WorkspaceRecord } from '../../../core/model.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** A Workspace as TaskRouter returns it. */
export function serializeWorkspace(ws: WorkspaceRecord, ctx: WireContext): Record<string, unknown> {
  const url = (path = '') => workspaceUrl(ctx, ws.sid, path);
  const activityName = (sid: string | null) => (sid ? (ctx.config.activities.get(sid)?.friendlyName ?? null) : null);
  return {
    account_sid: ws.accountSid,
    date_created: formatDate(ws.dateCreated),
    date_updated: formatDate(ws.dateUpdated),
    default_activity_name: activityName(ws.defaultActivitySid),
    default_activity_sid: ws.defaultActivitySid,
    event_callback_url: ws.eventCallbackUrl ?? '',
    events_filter: ws.eventsFilter,
    friendly_name: ws.friendlyName,
    multi_task_enabled: ws.multiTaskEnabled,
    prioritize_queue_order: ws.prioritizeQueueOrder,
    sid: ws.sid,
    timeout_activity_name: activityName(ws.timeoutActivitySid),
    timeout_activity_sid: ws.timeoutActivitySid,
    url: url(),
    links: {
      activities: url('/Activities'),
      statistics: url('/Statistics'),
      real_time_statistics: url('/RealTimeStatistics'),
      cumulative_statistics: url('/CumulativeStatistics'),
      task_queues: url('/TaskQueues'),
      tasks: url('/Tasks'),
      workers: url('/Workers'),
      workflows: url('/Workflows'),
      task_channels: url('/TaskChannels'),
      events: url('/Events'),
    },
  };
}

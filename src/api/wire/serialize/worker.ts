import type { WorkerRecord } from '../../../core/model.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** A Worker as TaskRouter returns it; `available` is its activity's availability. */
export function serializeWorker(w: WorkerRecord, ctx: WireContext): Record<string, unknown> {
  const url = (path = '') => workspaceUrl(ctx, w.workspaceSid, path);
  const activity = ctx.config.activities.get(w.activitySid);
  return {
    account_sid: ctx.config.workspace.accountSid,
    activity_name: activity?.friendlyName ?? null,
    activity_sid: w.activitySid,
    attributes: w.attributes,
    available: activity?.available ?? false,
    date_created: formatDate(w.dateCreated),
    date_status_changed: formatDate(w.dateStatusChanged),
    date_updated: formatDate(w.dateUpdated),
    friendly_name: w.friendlyName,
    sid: w.sid,
    workspace_sid: w.workspaceSid,
    url: url(`/Workers/${w.sid}`),
    links: {
      channels: url(`/Workers/${w.sid}/Channels`),
      activity: url(`/Activities/${w.activitySid}`),
      workspace: url(),
      statistics: url('/Workers/Statistics'),
      real_time_statistics: url('/Workers/RealTimeStatistics'),
      cumulative_statistics: url('/Workers/CumulativeStatistics'),
      worker_statistics: url(`/Workers/${w.sid}/Statistics`),
      worker_channels: url(`/Workers/${w.sid}/Channels`),
      reservations: url(`/Workers/${w.sid}/Reservations`),
    },
  };
}

import type { WorkflowRecord } from '../../../core/model.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** A Workflow as TaskRouter returns it; `configuration` stays the JSON string the client sent. */
export function serializeWorkflow(w: WorkflowRecord, ctx: WireContext): Record<string, unknown> {
  const url = (path: string) => workspaceUrl(ctx, w.workspaceSid, `/Workflows/${w.sid}${path}`);
  return {
    account_sid: ctx.config.workspace.accountSid,
    assignment_callback_url: w.assignmentCallbackUrl,
    configuration: w.configuration,
    date_created: formatDate(w.dateCreated),
    date_updated: formatDate(w.dateUpdated),
    document_content_type: 'application/json',
    fallback_assignment_callback_url: w.fallbackAssignmentCallbackUrl,
    friendly_name: w.friendlyName,
    sid: w.sid,
    task_reservation_timeout: w.taskReservationTimeout,
    workspace_sid: w.workspaceSid,
    url: url(''),
    links: {
      statistics: url('/Statistics'),
      real_time_statistics: url('/RealTimeStatistics'),
      cumulative_statistics: url('/CumulativeStatistics'),
    },
  };
}

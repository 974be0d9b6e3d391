import type { TaskRecord } from '../../../core/model.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** A Task as TaskRouter returns it; `age` is whole seconds since creation. */
export function serializeTask(t: TaskRecord, ctx: WireContext): Record<string, unknown> {
  const url = (path = '') => workspaceUrl(ctx, t.workspaceSid, path);
  const queue = t.taskQueueSid ? ctx.config.queues.get(t.taskQueueSid) : undefined;
  const workflow = t.workflowSid ? ctx.config.workflows.get(t.workflowSid) : undefined;
  const channel = ctx.config.channels.find((c) => c.sid === t.taskChannelSid);
  return {
    account_sid: ctx.config.workspace.accountSid,
    age: Math.max(0, Math.floor((ctx.now - t.dateCreated) / 1000)),
    assignment_status: t.assignmentStatus,
    attributes: t.attributes,
    addons: t.addons,
    date_created: formatDate(t.dateCreated),
    date_updated: formatDate(t.dateUpdated),
    task_queue_entered_date: formatDate(t.taskQueueEnteredAt),
    priority: t.priority,
    reason: t.reason,
    sid: t.sid,
    task_queue_sid: t.taskQueueSid,
    task_queue_friendly_name: queue?.friendlyName ?? null,
    task_channel_sid: t.taskChannelSid,
    task_channel_unique_name: channel?.uniqueName ?? null,
    timeout: t.timeout,
    workflow_sid: t.workflowSid,
    workflow_friendly_name: workflow?.friendlyName ?? null,
    workspace_sid: t.workspaceSid,
    url: url(`/Tasks/${t.sid}`),
    links: {
      task_queue: t.taskQueueSid ? url(`/TaskQueues/${t.taskQueueSid}`) : null,
      workflow: t.workflowSid ? url(`/Workflows/${t.workflowSid}`) : null,
      workspace: url(),
      reservations: url(`/Tasks/${t.sid}/Reservations`),
    },
    virtual_start_time: formatDate(t.virtualStartTime),
    ignore_capacity: t.ignoreCapacity,
    routing_target: t.routingTarget,
  };
}

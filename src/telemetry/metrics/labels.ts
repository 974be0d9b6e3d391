import { fieldsOf, type TaskRouterEvent } from '../../core/events/index.js';
import type { TaskQueueRecord } from '../../core/model.js';
import type { WorkspaceConfig } from '../../engine/workspace-config.js';

/**
 * The labels contact-center figures carry: a workspace and a task queue, each by sid and by name, and a task channel
 * by unique name. Never a task, reservation or worker sid: every one of those would start a series of its own.
 */
export const WORKSPACE_LABELS = ['workspace_sid', 'workspace'] as const;
export const QUEUE_LABELS = [...WORKSPACE_LABELS, 'task_queue_sid', 'task_queue'] as const;
export const QUEUE_CHANNEL_LABELS = [...QUEUE_LABELS, 'task_channel'] as const;

export type WorkspaceLabels = Record<(typeof WORKSPACE_LABELS)[number], string>;
export type QueueLabels = Record<(typeof QUEUE_LABELS)[number], string>;
export type QueueChannelLabels = Record<(typeof QUEUE_CHANNEL_LABELS)[number], string>;

export function workspaceLabels(config: WorkspaceConfig): WorkspaceLabels {
  return { workspace_sid: config.workspace.sid, workspace: config.workspace.friendlyName };
}

export function queueLabels(config: WorkspaceConfig, queue: TaskQueueRecord): QueueLabels {
  return { ...workspaceLabels(config), task_queue_sid: queue.sid, task_queue: queue.friendlyName };
}

/**
 * The queue and channel an event counts for, as the event names them (a reservation's own queue, for reservation
 * events). A task that never entered a queue counts under an empty queue.
 */
export function eventLabels(event: TaskRouterEvent): QueueChannelLabels {
  const fields = fieldsOf(event);
  return {
    workspace_sid: event.workspaceSid,
    workspace: fields.workspace_name ?? '',
    task_queue_sid: fields.task_queue_sid ?? '',
    task_queue: fields.task_queue_name ?? '',
    task_channel: fields.task_channel_unique_name ?? fields.task_channel_sid ?? '',
  };
}

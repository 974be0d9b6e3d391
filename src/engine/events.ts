import { newSid } from '../core/sid.js';
import type { EventRecord, ReservationRecord, TaskRecord, WorkerRecord } from '../core/model.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * Builders for TaskRouter events. `data` uses the snake_case field groups of TaskRouter's event_data (all values
 * strings), so the Events API and EventCallbackUrl delivery can pass them through unchanged.
 */

type Data = Record<string, string | null>;

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

export function workspaceData(config: WorkspaceConfig): Data {
  return { workspace_sid: config.workspace.sid, workspace_name: config.workspace.friendlyName };
}

export function taskData(task: TaskRecord, config: WorkspaceConfig, now: number): Data {
  const channel = config.channels.find((c) => c.sid === task.taskChannelSid);
  const queue = task.taskQueueSid ? config.queues.get(task.taskQueueSid) : undefined;
  const workflow = task.workflowSid ? config.workflows.get(task.workflowSid) : undefined;
  return {
    task_sid: task.sid,
    task_attributes: task.attributes,
    task_age: str(Math.max(0, Math.floor((now - task.dateCreated) / 1000))),
    task_priority: str(task.priority),
    task_assignment_status: task.assignmentStatus,
    task_canceled_reason: task.assignmentStatus === 'canceled' ? task.reason : null,
    task_completed_reason: task.assignmentStatus === 'completed' ? task.reason : null,
    task_channel_sid: task.taskChannelSid,
    task_channel_unique_name: channel?.uniqueName ?? null,
    task_queue_sid: task.taskQueueSid,
    task_queue_name: queue?.friendlyName ?? null,
    task_queue_target_expression: queue?.targetWorkers ?? null,
    task_queue_entered_date: task.taskQueueEnteredAt === null ? null : str(Math.floor(task.taskQueueEnteredAt / 1000)),
    // To the millisecond, as event_date_ms is: time in queue is measured against the event's own date.
    task_queue_entered_date_ms: str(task.taskQueueEnteredAt),
    task_date_created: str(Math.floor(task.dateCreated / 1000)),
    task_version: str(task.version),
    workflow_sid: task.workflowSid,
    workflow_name: workflow?.friendlyName ?? null,
    reason: task.reason,
  };
}

export function workerData(worker: WorkerRecord, config: WorkspaceConfig): Data {
  return {
    worker_sid: worker.sid,
    worker_name: worker.friendlyName,
    worker_attributes: worker.attributes,
    worker_activity_sid: worker.activitySid,
    worker_activity_name: config.activities.get(worker.activitySid)?.friendlyName ?? null,
    worker_version: str(worker.version),
  };
}

export interface EventSubject {
  task?: TaskRecord;
  worker?: WorkerRecord;
  reservation?: ReservationRecord;
  extra?: Data;
}

const RESOURCE_OF: Record<string, string> = {
  task: 'task',
  reservation: 'reservation',
  worker: 'worker',
  'task-queue': 'taskqueue',
  workflow: 'workflow',
  workspace: 'workspace',
  activity: 'activity',
  'task-channel': 'taskchannel',
};

/** Builds an event of `eventType` about the given subject. */
export function makeEvent(
  eventType: string,
  config: WorkspaceConfig,
  now: number,
  resourceSid: string,
  description: string,
  subject: EventSubject = {},
): EventRecord {
  const data: Data = { ...workspaceData(config) };
  if (subject.task) Object.assign(data, taskData(subject.task, config, now));
  if (subject.worker) Object.assign(data, workerData(subject.worker, config));
  if (subject.reservation) {
    data.reservation_sid = subject.reservation.sid;
    data.task_queue_sid = subject.reservation.taskQueueSid;
    data.workflow_sid = subject.reservation.workflowSid;
  }
  if (subject.extra) Object.assign(data, subject.extra);
  // Absent and null read the same everywhere events go; leaving nulls out keeps every stored event smaller.
  for (const key of Object.keys(data)) if (data[key] === null) delete data[key];
  return {
    sid: newSid('EV'),
    workspaceSid: config.workspace.sid,
    eventType,
    eventDate: now,
    resourceType: RESOURCE_OF[eventType.split('.')[0]!] ?? eventType.split('.')[0]!,
    resourceSid,
    description,
    actorType: null,
    actorSid: null,
    data,
  };
}

import { timedSid } from '../core/sid.js';
import type { EventRecord, ReservationRecord, TaskRecord, WorkerRecord } from '../core/model.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * Builders for TaskRouter events. `data` uses the snake_case field groups of TaskRouter's event_data (all values
 * strings), so the Events API and EventCallbackUrl delivery can pass them through unchanged.
 */

type Data = Record<string, string | null>;

/**
 * Sets `key` unless the value is null or undefined. Absent and null read the same everywhere events go; leaving
 * nulls out keeps every stored event smaller, and building the object by adding keys (never deleting) keeps it fast.
 */
function set(data: Data, key: string, value: unknown): void {
  if (value !== null && value !== undefined) data[key] = String(value);
}

function addTask(data: Data, task: TaskRecord, config: WorkspaceConfig, now: number): void {
  const channel = config.channels.find((c) => c.sid === task.taskChannelSid);
  const queue = task.taskQueueSid ? config.queues.get(task.taskQueueSid) : undefined;
  const workflow = task.workflowSid ? config.workflows.get(task.workflowSid) : undefined;
  set(data, 'task_sid', task.sid);
  set(data, 'task_attributes', task.attributes);
  set(data, 'task_age', Math.max(0, Math.floor((now - task.dateCreated) / 1000)));
  set(data, 'task_priority', task.priority);
  set(data, 'task_assignment_status', task.assignmentStatus);
  if (task.assignmentStatus === 'canceled') set(data, 'task_canceled_reason', task.reason);
  if (task.assignmentStatus === 'completed') set(data, 'task_completed_reason', task.reason);
  set(data, 'task_channel_sid', task.taskChannelSid);
  set(data, 'task_channel_unique_name', channel?.uniqueName);
  set(data, 'task_queue_sid', task.taskQueueSid);
  set(data, 'task_queue_name', queue?.friendlyName);
  set(data, 'task_queue_target_expression', queue?.targetWorkers);
  if (task.taskQueueEnteredAt !== null) {
    set(data, 'task_queue_entered_date', Math.floor(task.taskQueueEnteredAt / 1000));
    // To the millisecond, as event_date_ms is: time in queue is measured against the event's own date.
    set(data, 'task_queue_entered_date_ms', task.taskQueueEnteredAt);
  }
  set(data, 'task_date_created', Math.floor(task.dateCreated / 1000));
  set(data, 'task_version', task.version);
  set(data, 'workflow_sid', task.workflowSid);
  set(data, 'workflow_name', workflow?.friendlyName);
  set(data, 'reason', task.reason);
}

function addWorker(data: Data, worker: WorkerRecord, config: WorkspaceConfig): void {
  set(data, 'worker_sid', worker.sid);
  set(data, 'worker_name', worker.friendlyName);
  set(data, 'worker_attributes', worker.attributes);
  set(data, 'worker_activity_sid', worker.activitySid);
  set(data, 'worker_activity_name', config.activities.get(worker.activitySid)?.friendlyName);
  set(data, 'worker_version', worker.version);
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
  const data: Data = {};
  set(data, 'workspace_sid', config.workspace.sid);
  set(data, 'workspace_name', config.workspace.friendlyName);
  if (subject.task) addTask(data, subject.task, config, now);
  if (subject.worker) addWorker(data, subject.worker, config);
  if (subject.reservation) {
    set(data, 'reservation_sid', subject.reservation.sid);
    set(data, 'task_queue_sid', subject.reservation.taskQueueSid);
    set(data, 'workflow_sid', subject.reservation.workflowSid);
  }
  if (subject.extra) for (const key in subject.extra) set(data, key, subject.extra[key]);
  return {
    sid: timedSid('EV', now),
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

/**
 * `worker.activity.update` for a worker that moved from `before`'s activity to `after`'s, with how long it spent in
 * the one it left; null when its activity did not change.
 */
export function activityUpdateEvent(config: WorkspaceConfig, now: number, before: WorkerRecord, after: WorkerRecord): EventRecord | null {
  if (after.activitySid === before.activitySid) return null;
  const ms = Math.max(0, now - before.dateStatusChanged);
  return makeEvent(
    'worker.activity.update',
    config,
    now,
    after.sid,
    `Worker ${after.friendlyName} updated to ${config.activities.get(after.activitySid)?.friendlyName} Activity`,
    {
      worker: after,
      extra: {
        worker_previous_activity_sid: before.activitySid,
        worker_previous_activity_name: config.activities.get(before.activitySid)?.friendlyName ?? '',
        worker_time_in_previous_activity: String(Math.floor(ms / 1000)),
        worker_time_in_previous_activity_ms: String(ms),
      },
    },
  );
}

import type {
  EventDataMap,
  EventType,
  ReservationFields,
  TaskChannelFields,
  TaskFields,
  TaskQueueFields,
  TaskRouterEvent,
  TransferFields,
  WorkerFields,
  WorkflowFields,
} from '../core/events/index.js';
import type { ActivityFields } from '../core/events/index.js';
import type {
  ActivityRecord,
  ReservationRecord,
  TaskChannelRecord,
  TaskQueueRecord,
  TaskRecord,
  TaskTransfer,
  WorkerRecord,
  WorkflowRecord,
} from '../core/model.js';
import { timedSid } from '../core/sid.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * How the routing core builds TaskRouter events: `makeEvent` for every event, from the field groups its type carries
 * (core/events), each group built here from the records it describes.
 */

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

/**
 * Builds an event of `eventType` about `resourceSid`; `fields` are the field groups its type carries (the workspace's
 * are added here). A field left undefined is left out: absent and null read the same everywhere events go, and
 * leaving them out keeps every stored event smaller. The data is built by adding keys, never deleting, which keeps
 * it fast.
 */
export function makeEvent<T extends EventType>(
  eventType: T,
  config: WorkspaceConfig,
  now: number,
  resourceSid: string,
  description: string,
  fields: EventDataMap[T],
): TaskRouterEvent<T> {
  const data: Record<string, string> = { workspace_sid: config.workspace.sid, workspace_name: config.workspace.friendlyName };
  const given = fields as Record<string, string | undefined>;
  for (const key in given) {
    const value = given[key];
    if (value !== undefined) data[key] = value;
  }
  const resource = eventType.split('.')[0]!;
  const event = {
    sid: timedSid('EV', now),
    workspaceSid: config.workspace.sid,
    eventType,
    eventDate: now,
    resourceType: RESOURCE_OF[resource] ?? resource,
    resourceSid,
    description,
    actorType: null,
    actorSid: null,
    data,
  };
  // `data` holds the fields given, checked against the map where they were built.
  return event as unknown as TaskRouterEvent<T>;
}

/** A task's fields, as it stands `now`. */
export function taskFields(task: TaskRecord, config: WorkspaceConfig, now: number): TaskFields {
  const channel = config.channels.find((c) => c.sid === task.taskChannelSid);
  const queue = task.taskQueueSid ? config.queues.get(task.taskQueueSid) : undefined;
  const workflow = task.workflowSid ? config.workflows.get(task.workflowSid) : undefined;
  const entered = task.taskQueueEnteredAt;
  const reason = task.reason ?? undefined;
  return {
    task_sid: task.sid,
    task_attributes: task.attributes,
    task_age: String(Math.max(0, Math.floor((now - task.dateCreated) / 1000))),
    task_priority: String(task.priority),
    task_assignment_status: task.assignmentStatus,
    task_canceled_reason: task.assignmentStatus === 'canceled' ? reason : undefined,
    task_completed_reason: task.assignmentStatus === 'completed' ? reason : undefined,
    task_channel_sid: task.taskChannelSid,
    task_channel_unique_name: channel?.uniqueName,
    task_queue_sid: task.taskQueueSid ?? undefined,
    task_queue_name: queue?.friendlyName,
    task_queue_target_expression: queue?.targetWorkers,
    task_queue_entered_date: entered === null ? undefined : String(Math.floor(entered / 1000)),
    // To the millisecond, as event_date_ms is: time in queue is measured against the event's own date.
    task_queue_entered_date_ms: entered === null ? undefined : String(entered),
    task_date_created: String(Math.floor(task.dateCreated / 1000)),
    task_version: String(task.version),
    workflow_sid: task.workflowSid ?? undefined,
    workflow_name: workflow?.friendlyName,
    reason,
  };
}

/** A worker's fields. */
export function workerFields(worker: WorkerRecord, config: WorkspaceConfig): WorkerFields {
  return {
    worker_sid: worker.sid,
    worker_name: worker.friendlyName,
    worker_attributes: worker.attributes,
    worker_activity_sid: worker.activitySid,
    worker_activity_name: config.activities.get(worker.activitySid)?.friendlyName,
    worker_version: String(worker.version),
  };
}

/** A reservation's fields. */
function reservationFields(reservation: ReservationRecord): ReservationFields {
  return {
    reservation_sid: reservation.sid,
    task_queue_sid: reservation.taskQueueSid,
    workflow_sid: reservation.workflowSid ?? undefined,
    reservation_accepted_date_ms: reservation.acceptedAt === undefined ? undefined : String(reservation.acceptedAt),
    reservation_wrapup_date_ms: reservation.wrappingAt === undefined ? undefined : String(reservation.wrappingAt),
  };
}

/**
 * The fields of a reservation event: its task's, its worker's, then its own, whose queue and workflow stand in for
 * the task's.
 */
export function reservationEventFields(
  task: TaskRecord,
  worker: WorkerRecord,
  reservation: ReservationRecord,
  config: WorkspaceConfig,
  now: number,
): TaskFields & WorkerFields & ReservationFields {
  return joinFields(taskFields(task, config, now), workerFields(worker, config), reservationFields(reservation));
}

/** `reservation.created` for a reservation just made, described in the words of what made it. */
export function reservationCreatedEvent(
  config: WorkspaceConfig,
  now: number,
  task: TaskRecord,
  worker: WorkerRecord,
  reservation: ReservationRecord,
  description: string,
): TaskRouterEvent<'reservation.created'> {
  return makeEvent('reservation.created', config, now, reservation.sid, description, reservationEventFields(task, worker, reservation, config, now));
}

/**
 * Field groups joined into one, in order; a later group's field stands in for an earlier one of the same name, and
 * an undefined field stands in for nothing. Copied key by key: an object spread of these groups costs several times
 * as much.
 */
export function joinFields<A extends object, B extends object>(first: A, second: B): A & B;
export function joinFields<A extends object, B extends object, C extends object>(first: A, second: B, third: C): A & B & C;
export function joinFields(...groups: object[]): object {
  const joined: Record<string, unknown> = {};
  for (const group of groups) {
    for (const key in group) {
      const value = (group as Record<string, unknown>)[key];
      if (value !== undefined) joined[key] = value;
    }
  }
  return joined;
}

/** A task's transfer's fields. */
export function transferFields(transfer: TaskTransfer): TransferFields {
  return {
    transfer_sid: transfer.sid,
    transfer_mode: transfer.mode,
    transfer_type: transfer.type,
    transfer_to: transfer.to,
    transfer_status: transfer.status,
    transfer_initiating_reservation_sid: transfer.initiatingReservationSid,
    transfer_initiating_worker_sid: transfer.initiatingWorkerSid,
    transfer_initiating_queue_sid: transfer.initiatingQueueSid,
    transfer_initiating_workflow_sid: transfer.initiatingWorkflowSid ?? undefined,
    transfer_failed_reason: transfer.failedReason ?? undefined,
    transfer_started: String(Math.floor(transfer.dateCreated / 1000)),
  };
}

export function activityFields(activity: ActivityRecord): ActivityFields {
  return { activity_sid: activity.sid, activity_name: activity.friendlyName, activity_available: String(activity.available) };
}

export function taskChannelFields(channel: TaskChannelRecord): TaskChannelFields {
  return {
    task_channel_sid: channel.sid,
    task_channel_name: channel.friendlyName,
    task_channel_unique_name: channel.uniqueName,
    task_channel_optimized_routing: String(channel.channelOptimizedRouting),
  };
}

export function taskQueueFields(queue: TaskQueueRecord): TaskQueueFields {
  return { task_queue_sid: queue.sid, task_queue_name: queue.friendlyName, task_queue_target_expression: queue.targetWorkers };
}

export function workflowFields(workflow: WorkflowRecord): WorkflowFields {
  return { workflow_sid: workflow.sid, workflow_name: workflow.friendlyName };
}

/**
 * `worker.activity.update` for a worker that moved from `before`'s activity to `after`'s, with how long it spent in
 * the one it left; null when its activity did not change. The one place this event is built.
 */
export function activityUpdateEvent(
  config: WorkspaceConfig,
  now: number,
  before: WorkerRecord,
  after: WorkerRecord,
): TaskRouterEvent<'worker.activity.update'> | null {
  if (after.activitySid === before.activitySid) return null;
  const ms = Math.max(0, now - before.dateStatusChanged);
  return makeEvent(
    'worker.activity.update',
    config,
    now,
    after.sid,
    `Worker ${after.friendlyName} updated to ${config.activities.get(after.activitySid)?.friendlyName} Activity`,
    joinFields(workerFields(after, config), {
      worker_previous_activity_sid: before.activitySid,
      worker_previous_activity_name: config.activities.get(before.activitySid)?.friendlyName ?? '',
      worker_time_in_previous_activity: String(Math.floor(ms / 1000)),
      worker_time_in_previous_activity_ms: String(ms),
    }),
  );
}

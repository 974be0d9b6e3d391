import type {
  ActivityChangeFields,
  ActivityFields,
  ReservationFields,
  TargetMatchFields,
  TaskChannelFields,
  TaskFields,
  TaskQueueFields,
  TransferFields,
  WorkerChannelFields,
  WorkerFields,
  WorkflowFields,
  WorkspaceFields,
} from './field-groups.js';

/** What a reservation event says: the task, the worker it was offered to, and the reservation. */
type ReservationEventFields = TaskFields & WorkerFields & ReservationFields;

/** What a transfer event says: the task and its transfer. */
type TransferEventFields = TaskFields & TransferFields;

/**
 * Every event the routing core emits, by type, with the field groups its data carries beyond the workspace's (which
 * every event carries: see `EventData`). The names are TaskRouter's; TaskRouter's own list is in its Events reference.
 */
export interface EventDataMap {
  'activity.created': ActivityFields;
  'activity.updated': ActivityFields;
  'activity.deleted': ActivityFields;

  'reservation.created': ReservationEventFields;
  'reservation.accepted': ReservationEventFields;
  'reservation.rejected': ReservationEventFields;
  'reservation.timeout': ReservationEventFields;
  'reservation.canceled': ReservationEventFields;
  'reservation.rescinded': ReservationEventFields;
  'reservation.wrapup': ReservationEventFields;
  'reservation.completed': ReservationEventFields;

  'task.created': TaskFields;
  'task.updated': TaskFields;
  'task.canceled': TaskFields;
  'task.wrapup': TaskFields;
  'task.completed': TaskFields;
  /** Deleted through the API. */
  'task.deleted': TaskFields;
  /** Removed by the system: its TTL ran out, or it stayed assigned too long. */
  'task.system-deleted': TaskFields;
  /** The worker holding the task transfers it to a worker or a queue: the target is offered it. */
  'task.transfer-initiated': TransferEventFields;
  /** A worker of the target queue refused the offer; the next one is offered it. */
  'task.transfer-attempt-failed': TransferEventFields;
  /** The target accepted: the task is theirs. */
  'task.transfer-completed': TransferEventFields;
  /** No one of the target took the task: it stays with the worker who transferred it. */
  'task.transfer-failed': TransferEventFields;
  /** The worker who transferred the task took the transfer back before the target accepted. */
  'task.transfer-canceled': TransferEventFields;

  'task-channel.created': TaskChannelFields;
  'task-channel.updated': TaskChannelFields;
  'task-channel.deleted': TaskChannelFields;

  'task-queue.created': TaskQueueFields;
  'task-queue.updated': TaskQueueFields;
  'task-queue.deleted': TaskQueueFields;
  'task-queue.expression.updated': TaskQueueFields;
  'task-queue.entered': TaskFields;
  /** The task's step timed out and it left the queue. */
  'task-queue.timeout': TaskFields;
  'task-queue.moved': TaskFields;

  'worker.created': WorkerFields;
  'worker.attributes.update': WorkerFields;
  'worker.deleted': WorkerFields;
  'worker.activity.update': WorkerFields & ActivityChangeFields;
  'worker.capacity.update': WorkerFields & WorkerChannelFields;
  'worker.channel.availability.update': WorkerFields & WorkerChannelFields;

  'workflow.created': WorkflowFields;
  'workflow.updated': WorkflowFields;
  'workflow.deleted': WorkflowFields;
  'workflow.entered': TaskFields;
  'workflow.target-matched': TaskFields & TargetMatchFields;
  /** The task fell off the end of its workflow and was canceled. */
  'workflow.timeout': TaskFields;
  /** The last step's skip_if held and the task was canceled. */
  'workflow.skipped': TaskFields;

  'workspace.created': object;
  'workspace.updated': object;
  'workspace.deleted': object;
}

/** The type of an event: `task.created`, `reservation.accepted`… */
export type EventType = keyof EventDataMap;

/** The data of an event of type `T`: its workspace and the field groups of its type. */
export type EventData<T extends EventType> = WorkspaceFields & EventDataMap[T];

/** What every event says about itself, whatever its type. */
export interface EventEnvelope {
  /** EV…, carrying the event's date (see `timedSid`). */
  sid: string;
  workspaceSid: string;
  /** Epoch ms. */
  eventDate: number;
  /** `task`, `reservation`, `worker`, `taskqueue`, `workflow`, `workspace`, `activity` or `taskchannel`. */
  resourceType: string;
  resourceSid: string;
  description: string;
  actorType: string | null;
  actorSid: string | null;
  /**
   * The span that committed the event, when tracing recorded one (telemetry/trace-context.ts): deliveries of the
   * event link to it. Kept with the event in the store; never sent anywhere.
   */
  traceContext?: string;
}

/**
 * A TaskRouter event of type `T`; without `T`, any event, which narrows on `eventType` (`switch (event.eventType)`,
 * `isEventOf`) to the data of the types left.
 */
export type TaskRouterEvent<T extends EventType = EventType> = T extends EventType ? EventEnvelope & { eventType: T; data: EventData<T> } : never;

/** Every field any event may carry, all optional. */
export type EventFields = Partial<
  WorkspaceFields &
    TaskFields &
    WorkerFields &
    ReservationFields &
    ActivityChangeFields &
    WorkerChannelFields &
    ActivityFields &
    TaskChannelFields &
    TaskQueueFields &
    WorkflowFields &
    TargetMatchFields &
    TransferFields
>;

/** The name of a field some event carries. */
export type EventField = keyof EventFields;

/**
 * An event's data read whatever its type: for what looks at a field across every type (a filter on `task_sid`, the
 * wire form), where a field the event's type lacks reads as absent.
 */
export function fieldsOf(event: TaskRouterEvent): Readonly<EventFields> {
  return event.data;
}

/**
 * The fields an event carries, in the order they were added. A field held as null reads as absent, as it always has:
 * the store gives back what it was given, and nothing reads null apart from absent.
 */
export function fieldEntries(event: TaskRouterEvent): Array<[EventField, string]> {
  const fields = fieldsOf(event);
  const entries: Array<[EventField, string]> = [];
  for (const key in fields) {
    const value = fields[key as EventField];
    if (value !== undefined && value !== null) entries.push([key as EventField, value]);
  }
  return entries;
}

/** A set of event types, to test an event against with `isEventOf`. */
export function eventTypes<T extends EventType>(...types: T[]): ReadonlySet<T> {
  return new Set(types);
}

/** Whether `event` is of one of `types`; narrows it to those types. */
export function isEventOf<T extends EventType>(event: TaskRouterEvent, types: ReadonlySet<T>): event is TaskRouterEvent<T> {
  return (types as ReadonlySet<EventType>).has(event.eventType);
}

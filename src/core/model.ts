/**
 * The routing core's records. Times are epoch milliseconds; `version` increases on every committed change and is the
 * basis of compare-and-commit (and of the ETag the API serves). Attributes stay JSON strings, exactly as clients sent
 * them, so they round-trip byte for byte.
 */

export type AssignmentStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';
export type ReservationStatus =
  | 'pending'
  | 'accepted'
  | 'rejected'
  | 'timeout'
  | 'canceled'
  | 'rescinded'
  | 'wrapping'
  | 'completed';
export type QueueOrder = 'FIFO' | 'LIFO';

interface Base {
  sid: string;
  dateCreated: number;
  dateUpdated: number;
  version: number;
}

export interface WorkspaceRecord extends Base {
  accountSid: string;
  friendlyName: string;
  eventCallbackUrl: string | null;
  eventsFilter: string | null;
  multiTaskEnabled: boolean;
  prioritizeQueueOrder: QueueOrder;
  defaultActivitySid: string | null;
  timeoutActivitySid: string | null;
}

export interface ActivityRecord extends Base {
  workspaceSid: string;
  friendlyName: string;
  available: boolean;
}

export interface TaskChannelRecord extends Base {
  workspaceSid: string;
  uniqueName: string;
  friendlyName: string;
  channelOptimizedRouting: boolean;
}

export interface TaskQueueRecord extends Base {
  workspaceSid: string;
  friendlyName: string;
  targetWorkers: string;
  maxReservedWorkers: number;
  taskOrder: QueueOrder;
  reservationActivitySid: string | null;
  assignmentActivitySid: string | null;
}

export interface WorkflowRecord extends Base {
  workspaceSid: string;
  friendlyName: string;
  configuration: string;
  assignmentCallbackUrl: string | null;
  fallbackAssignmentCallbackUrl: string | null;
  /** Seconds a reservation waits for an answer. */
  taskReservationTimeout: number;
}

/** A worker's state on one task channel. Absent entries mean the defaults: capacity 1, available, idle. */
export interface WorkerChannelState {
  capacity: number;
  available: boolean;
  /** Live reservations on this channel (pending, accepted or wrapping): they hold capacity. */
  taskCount: number;
  /** When the worker last got a reservation on this channel; orders longest-idle-first routing. */
  lastReservedAt: number | null;
  dateCreated: number;
  dateUpdated: number;
}

export interface WorkerRecord extends Base {
  workspaceSid: string;
  friendlyName: string;
  activitySid: string;
  attributes: string;
  dateStatusChanged: number;
  /** When the worker last entered an available activity from an unavailable one (baseline for idle ordering). */
  availableSince: number;
  /** Task channel sid → state; missing channels take the defaults. */
  channels: Record<string, WorkerChannelState>;
  /** TaskQueue sids whose TargetWorkers this worker matches, kept current when attributes or expressions change. */
  queueSids: string[];
}

/** Where a task currently stands in its workflow: a snapshot, so later workflow edits don't reinterpret it. */
export interface TaskTarget {
  /** Index of the matched filter; -1 for default_filter. */
  filterIndex: number;
  targetIndex: number;
  queueSid: string;
  expression: string | null;
  orderBy: string | null;
  skipIf: string | null;
  /** Resolved worker sid (known_worker_sid) or friendly name (known_worker_friendly_name); null = anyone. */
  knownWorkerSid: string | null;
  knownWorkerFriendlyName: string | null;
  /** Absolute time (ms) at which this step times out; null = never. */
  timeoutAt: number | null;
  /** The queue's MaxReservedWorkers when the task entered. */
  maxReservedWorkers: number;
}

export interface TaskRecord extends Base {
  workspaceSid: string;
  attributes: string;
  assignmentStatus: AssignmentStatus;
  priority: number;
  /** TTL in seconds counted from creation. */
  timeout: number;
  taskChannelSid: string;
  workflowSid: string | null;
  taskQueueSid: string | null;
  taskQueueEnteredAt: number | null;
  virtualStartTime: number;
  reason: string | null;
  routingTarget: string | null;
  ignoreCapacity: boolean;
  addons: string;
  target: TaskTarget | null;
  /** Pending→reserved cycles so far (TaskRouter cancels at 1000). */
  assignmentCount: number;
  /** Every reservation the task has had, oldest first. */
  reservationSids: string[];
  /** Live (pending) reservations and their workers. */
  pendingReservations: Array<{ sid: string; workerSid: string }>;
  /** Workers who rejected this task: not offered it again. */
  rejectedWorkerSids: string[];
  /** The accepted reservation's worker, once assigned. */
  workerSid: string | null;
  reservationSid: string | null;
}

export interface ReservationRecord extends Base {
  workspaceSid: string;
  taskSid: string;
  workerSid: string;
  workerName: string;
  taskQueueSid: string;
  workflowSid: string | null;
  taskChannelSid: string;
  status: ReservationStatus;
  /** When a pending reservation times out. */
  timeoutAt: number;
  /** The last instruction carried out for this reservation (dequeue, call…), with its parameters. */
  instruction: Record<string, unknown> | null;
}

/** A TaskRouter event, as persisted and delivered. */
export interface EventRecord {
  sid: string;
  workspaceSid: string;
  eventType: string;
  eventDate: number;
  resourceType: string;
  resourceSid: string;
  description: string;
  actorType: string | null;
  actorSid: string | null;
  /** snake_case keys with string values, as TaskRouter's event_data. */
  data: Record<string, string | null>;
}

export interface RecordByKind {
  workspace: WorkspaceRecord;
  activity: ActivityRecord;
  taskChannel: TaskChannelRecord;
  taskQueue: TaskQueueRecord;
  workflow: WorkflowRecord;
  worker: WorkerRecord;
  task: TaskRecord;
  reservation: ReservationRecord;
}
export type Kind = keyof RecordByKind;
export type AnyRecord = RecordByKind[Kind];

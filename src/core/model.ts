/**
 * The routing core's records. Times are epoch milliseconds; `version` increases on every committed change and is the
 * basis of compare-and-commit (and of the ETag the API serves). Attributes stay JSON strings, exactly as clients sent
 * them, so they round-trip byte for byte.
 */

export type AssignmentStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';
export type ReservationStatus = 'pending' | 'accepted' | 'rejected' | 'timeout' | 'canceled' | 'rescinded' | 'wrapping' | 'completed';
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
  /** The task's latest transfer from the worker holding it to another worker or a queue; absent: never transferred. */
  transfer?: TaskTransfer;
  /**
   * The span that created the task, when tracing recorded one (telemetry/trace-context.ts): its reservations link
   * to it, whichever request, timer or instance makes them. Never on the wire.
   */
  traceContext?: string;
}

export type TransferMode = 'WARM' | 'COLD';
export type TransferType = 'WORKER' | 'QUEUE';
export type TransferStatus = 'initiated' | 'complete' | 'failed' | 'canceled';

/**
 * A transfer of an assigned task by the worker holding it (TaskRouter's Transfers, API v2), kept on the task: a task
 * has at most one under way, and offers are made one at a time.
 */
export interface TaskTransfer {
  /** TT… */
  sid: string;
  mode: TransferMode;
  type: TransferType;
  /** The target: a worker (WK…) or a queue (WQ…). */
  to: string;
  status: TransferStatus;
  initiatingReservationSid: string;
  initiatingWorkerSid: string;
  initiatingQueueSid: string;
  initiatingWorkflowSid: string | null;
  /** The reservation offered now, while the transfer is under way. */
  offerSid: string | null;
  /** Workers of the target queue who refused an offer of this transfer: not offered it again. */
  refusedWorkerSids: string[];
  failedReason: string | null;
  dateCreated: number;
  dateUpdated: number;
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
  /** The transfer (TT…) this reservation offered its task for; absent for reservations made by routing. */
  transferSid?: string;
  /** When it was accepted (epoch ms): handle time is measured from here. */
  acceptedAt?: number;
  /** When its wrap-up began (epoch ms): wrap-up time is measured from here. */
  wrappingAt?: number;
}

/** How a number answers when no one can take the call now: record a voicemail, say a message, or queue anyway. */
export type NoWorkersFallback = 'voicemail' | 'message' | 'queue';

/**
 * A phone number the voice connector answers (beyond TaskRouter): which workspace and workflow its calls are routed
 * through, the IVR menu callers hear first, how they are kept on hold, and what happens when no one can answer.
 * Stored outside any workspace, in the connector's own partition, keyed by its E.164 number.
 */
export interface PhoneNumberRecord extends Base {
  /** E.164, e.g. +15551234567. */
  number: string;
  friendlyName: string;
  workspaceSid: string;
  workflowSid: string;
  /** Task channel unique name or TC sid; `voice` unless set. */
  taskChannel: string;
  ivrMenuSid: string | null;
  /** Language of `<Say>` and speech recognition, e.g. en-US. */
  language: string;
  /** `<Say>` voice; null = Twilio's default. */
  voice: string | null;
  holdMusicUrl: string | null;
  /** How often a caller on hold hears where they stand (seconds). */
  announceEverySeconds: number;
  announcePosition: boolean;
  announceWait: boolean;
  /** Waiting (pending or reserved) tasks of the workflow beyond which callers get the fallback; null = no limit. */
  maxQueueSize: number | null;
  whenNoWorkers: NoWorkersFallback;
  fallbackMessage: string | null;
  voicemailMaxSeconds: number;
  /**
   * Task channel (unique name or TC sid) of the tasks its SMS conversations create; `sms` unless set. Records saved
   * before the SMS settings existed lack this and `smsAutoReply`: ConnectorDirectory fills both in as it reads them.
   */
  smsTaskChannel: string;
  /** Sent back to the first message of a customer's conversation; null = no automatic reply. */
  smsAutoReply: string | null;
}

/** One choice of an IVR menu: the keys or words that pick it, what it adds to the task, and where it leads. */
export interface IvrOption {
  digits: string | null;
  /** Words any of which, heard in the caller's answer, pick this option. */
  speech: string[];
  /** Merged into the task's attributes when picked. */
  attributes: Record<string, unknown>;
  /** A menu asked next; null = the caller is queued. */
  nextMenuSid: string | null;
}

export type IvrInput = 'dtmf' | 'speech';

/** A menu of the voice connector's IVR (beyond TaskRouter), stored in the connector's partition. */
export interface IvrMenuRecord extends Base {
  /** The name configuration refers to the menu by. */
  uniqueName: string;
  /** Spoken with `<Say>`; or `playUrl` is played. */
  prompt: string | null;
  playUrl: string | null;
  input: IvrInput[];
  numDigits: number;
  /** Seconds of silence before the answer counts as missing. */
  timeout: number;
  /** Times the menu is asked again after a missing or unknown answer. */
  retries: number;
  /** Override the number's language and voice. */
  language: string | null;
  voice: string | null;
  options: IvrOption[];
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
  phoneNumber: PhoneNumberRecord;
  ivrMenu: IvrMenuRecord;
}
export type Kind = keyof RecordByKind;
export type AnyRecord = RecordByKind[Kind];

/**
 * Inputs of the engine's commands. The API turns Twilio's form parameters into these (types parsed, names in
 * camelCase); the engine checks meaning (ranges, references, transitions). `undefined` means "not given".
 */
import type { QueueOrder } from '../core/model.js';

export interface WorkspaceInput {
  friendlyName?: string;
  eventCallbackUrl?: string;
  eventsFilter?: string;
  multiTaskEnabled?: boolean;
  prioritizeQueueOrder?: QueueOrder;
  /** Create only: 'NONE' | 'FIFO'. */
  template?: string;
  /** Update only. */
  defaultActivitySid?: string;
  timeoutActivitySid?: string;
}

export interface ActivityInput {
  friendlyName?: string;
  /** Create only. */
  available?: boolean;
}

export interface TaskChannelInput {
  friendlyName?: string;
  /** Create only. */
  uniqueName?: string;
  channelOptimizedRouting?: boolean;
}

export interface TaskQueueInput {
  friendlyName?: string;
  targetWorkers?: string;
  maxReservedWorkers?: number;
  taskOrder?: QueueOrder;
  reservationActivitySid?: string;
  assignmentActivitySid?: string;
}

export interface WorkflowInput {
  friendlyName?: string;
  configuration?: string;
  assignmentCallbackUrl?: string;
  fallbackAssignmentCallbackUrl?: string;
  taskReservationTimeout?: number;
  /** Update only. */
  reEvaluateTasks?: boolean;
}

export interface WorkerInput {
  friendlyName?: string;
  activitySid?: string;
  attributes?: string;
  /** Update only. */
  rejectPendingReservations?: boolean;
  /** Update/delete: the version the client last saw (If-Match). */
  ifMatch?: string;
}

export interface WorkerChannelInput {
  capacity?: number;
  available?: boolean;
}

export interface TaskInput {
  attributes?: string;
  priority?: number;
  /** TTL seconds (create only). */
  timeout?: number;
  /** Channel unique name or TC sid. */
  taskChannel?: string;
  workflowSid?: string;
  /** Epoch ms. */
  virtualStartTime?: number;
  routingTarget?: string;
  ignoreCapacity?: boolean;
  taskQueueSid?: string;
  /** Update only. */
  assignmentStatus?: string;
  reason?: string;
  ifMatch?: string;
}

export interface ReservationInput {
  reservationStatus?: string;
  workerActivitySid?: string;
  /** dequeue | call | redirect | conference | supervise, with its parameters (Twilio's names, as sent). */
  instruction?: string;
  instructionParams?: Record<string, unknown>;
  ifMatch?: string;
}

/** A transfer of an assigned task by the worker holding it (`Workers/{WK}/Transfers`). */
export interface TransferInput {
  reservationSid?: string;
  taskSid?: string;
  /** WK… or WQ… */
  to?: string;
  /** WARM (the default) or COLD. */
  mode?: string;
  /** The task's attributes from now on. */
  attributes?: string;
  priority?: number;
}

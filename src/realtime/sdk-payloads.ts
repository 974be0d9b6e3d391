import type { TransferFields } from '../core/events/index.js';
import type { ActivityRecord, ReservationRecord, TaskChannelRecord, TaskQueueRecord, TaskRecord, TaskTransfer, WorkerRecord } from '../core/model.js';
import {
  serializeActivity,
  serializeReservation,
  serializeTask,
  serializeTaskQueue,
  serializeWorker,
  serializeWorkerChannel,
  type WireContext,
} from '../api/wire/serialize/index.js';
import { channelState } from '../engine/worker-channels.js';

/**
 * Resources as the worker SDK (twilio-taskrouter 2.x) reads them, in frames and in answers to its requests. Fields
 * are the REST API's, named once in its serializers; the SDK differs in three ways: dates are epoch SECONDS (it
 * computes `new Date(x * 1000)`), but a channel's `last_reserved_time` is milliseconds; every record carries its
 * `version`; and a reservation embeds its task. Its descriptors throw on a missing key, so every key they list is
 * present, null when unknown.
 */

/** Epoch milliseconds as the SDK's epoch seconds; null stays null. */
export function sdkTime(ms: number | null): number | null {
  return ms === null ? null : Math.floor(ms / 1000);
}

export function workerPayload(w: WorkerRecord, ctx: WireContext): Record<string, unknown> {
  return {
    ...serializeWorker(w, ctx),
    date_created: sdkTime(w.dateCreated),
    date_status_changed: sdkTime(w.dateStatusChanged),
    date_updated: sdkTime(w.dateUpdated),
    version: w.version,
  };
}

export function activityPayload(a: ActivityRecord, ctx: WireContext): Record<string, unknown> {
  return { ...serializeActivity(a, ctx), date_created: sdkTime(a.dateCreated), date_updated: sdkTime(a.dateUpdated), version: a.version };
}

export function taskPayload(t: TaskRecord, ctx: WireContext): Record<string, unknown> {
  const rest = serializeTask(t, ctx);
  return {
    ...rest,
    queue_sid: t.taskQueueSid,
    queue_name: rest.task_queue_friendly_name,
    workflow_name: rest.workflow_friendly_name,
    date_created: sdkTime(t.dateCreated),
    date_updated: sdkTime(t.dateUpdated),
    task_queue_entered_date: sdkTime(t.taskQueueEnteredAt),
    virtual_start_time: sdkTime(t.virtualStartTime),
    version: t.version,
  };
}

/**
 * A reservation with its task embedded (`task` may be null only where the SDK ignores it: answers to updates). An
 * answer to an update carries no transfers (`transfers` false): the SDK reads one without the task it would attach
 * them to.
 */
export function reservationPayload(r: ReservationRecord, task: TaskRecord | null, ctx: WireContext, transfers = true): Record<string, unknown> {
  return {
    ...serializeReservation(r, 'worker', ctx),
    date_created: sdkTime(r.dateCreated),
    date_updated: sdkTime(r.dateUpdated),
    // The seconds it was offered for, as its workflow's TaskReservationTimeout said when it was made.
    reservation_timeout: Math.max(0, Math.round((r.timeoutAt - r.dateCreated) / 1000)),
    task: task && taskPayload(task, ctx),
    version: r.version,
    ...(transfers && transfersOf(r, task)),
  };
}

/**
 * The transfers a reservation carries: `task_transfer` on the reservation a transfer offered, and
 * `active_outgoing_task_transfer` on the one it was started from while it is under way. The SDK reads a key that is
 * there as a transfer, null included, so a reservation without one leaves the key out.
 */
function transfersOf(r: ReservationRecord, task: TaskRecord | null): Record<string, unknown> {
  const transfer = task?.transfer;
  if (!transfer) return {};
  const carried: Record<string, unknown> = {};
  if (r.transferSid === transfer.sid) carried.task_transfer = transferPayload(transfer, task.sid);
  if (transfer.status === 'initiated' && transfer.initiatingReservationSid === r.sid)
    carried.active_outgoing_task_transfer = transferPayload(transfer, task.sid);
  return carried;
}

/** A transfer as the SDK's TransferDescriptor reads it (every key it lists present), with its task. */
export function transferPayload(t: TaskTransfer, taskSid: string): Record<string, unknown> {
  return {
    sid: t.sid,
    task_sid: taskSid,
    transfer_mode: t.mode,
    transfer_type: t.type,
    transfer_to: t.to,
    transfer_status: t.status,
    transfer_failed_reason: t.failedReason,
    initiating_reservation_sid: t.initiatingReservationSid,
    initiating_worker_sid: t.initiatingWorkerSid,
    initiating_queue_sid: t.initiatingQueueSid,
    initiating_workflow_sid: t.initiatingWorkflowSid,
    date_created: sdkTime(t.dateCreated),
    date_updated: sdkTime(t.dateUpdated),
  };
}

/** A transfer event's transfer, as the SDK's handlers of `task.transfer-*` read it, from the event's own data. */
export function transferEventPayload(data: TransferFields & { task_sid: string }, eventDate: number): Record<string, unknown> {
  return {
    sid: data.transfer_sid,
    task_sid: data.task_sid,
    transfer_mode: data.transfer_mode,
    transfer_type: data.transfer_type,
    transfer_to: data.transfer_to,
    transfer_status: data.transfer_status,
    transfer_failed_reason: data.transfer_failed_reason ?? null,
    initiating_reservation_sid: data.transfer_initiating_reservation_sid,
    initiating_worker_sid: data.transfer_initiating_worker_sid,
    initiating_queue_sid: data.transfer_initiating_queue_sid,
    initiating_workflow_sid: data.transfer_initiating_workflow_sid ?? null,
    date_created: Number(data.transfer_started),
    date_updated: sdkTime(eventDate),
  };
}

export function workerChannelPayload(worker: WorkerRecord, channel: TaskChannelRecord, ctx: WireContext): Record<string, unknown> {
  const state = channelState(worker, channel.sid);
  return {
    ...serializeWorkerChannel(worker, channel, ctx),
    date_created: sdkTime(state.dateCreated),
    date_updated: sdkTime(state.dateUpdated),
    last_reserved_time: state.lastReservedAt,
  };
}

export function taskQueuePayload(q: TaskQueueRecord, ctx: WireContext): Record<string, unknown> {
  return {
    ...serializeTaskQueue(q, ctx),
    date_created: sdkTime(q.dateCreated),
    date_updated: sdkTime(q.dateUpdated),
    lifo_queue: q.taskOrder === 'LIFO',
    version: q.version,
  };
}

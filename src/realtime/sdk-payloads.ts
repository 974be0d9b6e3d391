import type { ActivityRecord, ReservationRecord, TaskChannelRecord, TaskQueueRecord, TaskRecord, WorkerRecord } from '../core/model.js';
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

/** A reservation with its task embedded (`task` may be null only where the SDK ignores it: answers to updates). */
export function reservationPayload(r: ReservationRecord, task: TaskRecord | null, ctx: WireContext): Record<string, unknown> {
  return {
    ...serializeReservation(r, 'worker', ctx),
    date_created: sdkTime(r.dateCreated),
    date_updated: sdkTime(r.dateUpdated),
    // The seconds it was offered for, as its workflow's TaskReservationTimeout said when it was made.
    reservation_timeout: Math.max(0, Math.round((r.timeoutAt - r.dateCreated) / 1000)),
    task: task && taskPayload(task, ctx),
    version: r.version,
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

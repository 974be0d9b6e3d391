import type { TaskRecord, WorkerRecord, WorkspaceRecord } from '../../src/core/model.js';
import type { EventEnvelope, TaskRouterEvent } from '../../src/core/events/index.js';
import { newSid, timedSid } from '../../src/core/sid.js';

/** Minimal well-formed records for store tests; the store never interprets them beyond sid and version. */

export function workspaceRecord(sid = newSid('WS'), version = 1): WorkspaceRecord {
  return {
    sid,
    dateCreated: 1_000,
    dateUpdated: 1_000,
    version,
    accountSid: 'AC' + '0'.repeat(32),
    friendlyName: `workspace ${sid.slice(-4)}`,
    eventCallbackUrl: null,
    eventsFilter: null,
    multiTaskEnabled: true,
    prioritizeQueueOrder: 'FIFO',
    defaultActivitySid: null,
    timeoutActivitySid: null,
  };
}

export function workerRecord(workspaceSid: string, sid = newSid('WK'), version = 1, friendlyName = 'alice'): WorkerRecord {
  return {
    sid,
    workspaceSid,
    dateCreated: 1_000,
    dateUpdated: 1_000,
    version,
    friendlyName,
    activitySid: newSid('WA'),
    attributes: '{"skills":["en","fr"],"note":"ünïcödé \\" quote"}',
    dateStatusChanged: 1_000,
    availableSince: 1_000,
    channels: { [newSid('TC')]: { capacity: 2, available: true, taskCount: 0, lastReservedAt: null, dateCreated: 1_000, dateUpdated: 1_000 } },
    queueSids: [newSid('WQ')],
  };
}

export function taskRecord(workspaceSid: string, sid = newSid('WT'), version = 1): TaskRecord {
  return {
    sid,
    workspaceSid,
    dateCreated: 1_000,
    dateUpdated: 1_000,
    version,
    attributes: '{}',
    assignmentStatus: 'pending',
    priority: 0,
    timeout: 86_400,
    taskChannelSid: newSid('TC'),
    workflowSid: null,
    taskQueueSid: null,
    taskQueueEnteredAt: null,
    virtualStartTime: 1_000,
    reason: null,
    routingTarget: null,
    ignoreCapacity: false,
    addons: '{}',
    target: null,
    assignmentCount: 0,
    reservationSids: [],
    pendingReservations: [],
    rejectedWorkerSids: [],
    workerSid: null,
    reservationSid: null,
  };
}

/**
 * An event as a store holds it, whatever its type name and data. Stores keep what they are handed — any type, nulls,
 * keys no event type carries — so store and outbox tests build events outside the typed event map, here only.
 */
export function asStoredEvent(event: EventEnvelope & { eventType: string; data: Record<string, string | null> }): TaskRouterEvent {
  return event as unknown as TaskRouterEvent;
}

export function eventRecord(workspaceSid: string, eventDate: number, eventType = 'task.created'): TaskRouterEvent {
  return asStoredEvent({
    sid: timedSid('EV', eventDate),
    workspaceSid,
    eventType,
    eventDate,
    resourceType: 'task',
    resourceSid: newSid('WT'),
    description: eventType,
    actorType: null,
    actorSid: null,
    data: { task_sid: null, note: 'x' },
  });
}

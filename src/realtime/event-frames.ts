import { wireContext, type ApiContext } from '../api/context.js';
import { serializeEvent } from '../api/wire/serialize/index.js';
import { eventTypes, isEventOf, type TaskRouterEvent } from '../core/events/index.js';
import type { ReservationStatus } from '../core/model.js';
import type { BridgeFrame } from './bridge-session.js';
import { reservationPayload, taskPayload, transferEventPayload, workerChannelPayload, workerPayload } from './sdk-payloads.js';

/** A frame and the worker whose sessions it goes to. */
export interface WorkerFrame {
  workerSid: string;
  frame: BridgeFrame;
}

/** What one event becomes: frames for the workers it concerns, and one for the workspace's watchers. */
export interface EventFrames {
  workers: WorkerFrame[];
  /** Null when no watcher listens. */
  watchers: BridgeFrame | null;
}

/** Who listens to a workspace's events on this instance. */
export interface Listening {
  /** Whether a session acts as `workerSid`. */
  worker(workerSid: string): boolean;
  /** Whether any session acts as a worker. */
  anyWorker: boolean;
  /** Whether a session watches the whole workspace. */
  watchers: boolean;
}

/** The events the SDK's Worker handles, by what its payload is (TaskRouterEventHandler's mapping). */
const WORKER_EVENTS = eventTypes('worker.activity.update', 'worker.attributes.update');
const CHANNEL_EVENTS = eventTypes('worker.capacity.update', 'worker.channel.availability.update');
const RESERVATION_EVENTS = eventTypes(
  'reservation.created',
  'reservation.accepted',
  'reservation.rejected',
  'reservation.timeout',
  'reservation.canceled',
  'reservation.rescinded',
  'reservation.wrapup',
  'reservation.completed',
);
const TASK_EVENTS = eventTypes('task.updated', 'task.canceled', 'task.completed', 'task.wrapup');
/** Transfer events go to the worker who started the transfer: the SDK hands them to its task's outgoing transfer. */
const TRANSFER_EVENTS = eventTypes(
  'task.transfer-initiated',
  'task.transfer-attempt-failed',
  'task.transfer-completed',
  'task.transfer-failed',
  'task.transfer-canceled',
);
/** Reservations whose worker's SDK still holds the task: it hears what becomes of it. */
const HOLDING: ReadonlySet<ReservationStatus> = new Set(['pending', 'accepted', 'wrapping', 'completed']);

/**
 * Whether `event` can make a frame for anyone `listening` here, told from the event alone: the tests `framesOf`
 * makes before it reads any record. Most of a workspace's events (a created task's `workflow.entered`,
 * `task-queue.entered`, `task.created`, `workflow.target-matched`) have no frame for a worker, and with no watcher
 * here they need no delivery at all: no send span, no turn in the workspace's delivery order
 * (docs/performance-push.md, "What was changed").
 */
export function heardHere(event: TaskRouterEvent, listening: Listening): boolean {
  if (listening.watchers) return true;
  if (isEventOf(event, WORKER_EVENTS) || isEventOf(event, CHANNEL_EVENTS)) return listening.worker(event.data.worker_sid);
  if (isEventOf(event, RESERVATION_EVENTS)) return listening.worker(event.data.worker_sid);
  if (isEventOf(event, TRANSFER_EVENTS)) return listening.worker(event.data.transfer_initiating_worker_sid);
  if (isEventOf(event, TASK_EVENTS)) return listening.anyWorker;
  return false;
}

/**
 * The frames of one event. The SDK's descriptors need whole records (versions, the reservation's task), which event
 * data does not carry, so the records are read when the frame is made: a frame shows its record as it is then, never
 * older than the event. Watchers (server-side consumers with an admin token naming no worker) get every event of the
 * workspace, queue events included, as the Events API shows it.
 *
 * Only what `listening` says someone here hears is made: an event about a worker with no session here reads no
 * record, and the watchers' frame (null then) is serialized only when the workspace has watchers here. With ten
 * thousand agents, each connected to one of several instances, most events concern no one on a given instance.
 */
export async function framesOf(api: ApiContext, event: TaskRouterEvent, listening: Listening): Promise<EventFrames> {
  const ws = event.workspaceSid;
  const ctx = await wireContext(api, ws);
  const watchers: BridgeFrame | null = listening.watchers ? { event_type: event.eventType, payload: serializeEvent(event, ctx) } : null;
  const store = api.engine.store;
  const workers: WorkerFrame[] = [];
  if ((isEventOf(event, WORKER_EVENTS) || isEventOf(event, CHANNEL_EVENTS)) && listening.worker(event.data.worker_sid)) {
    const worker = await store.get(ws, 'worker', event.data.worker_sid);
    if (worker && isEventOf(event, CHANNEL_EVENTS)) {
      const channel = ctx.config.channels.find((c) => c.sid === event.data.task_channel_sid);
      if (channel) workers.push({ workerSid: worker.sid, frame: { event_type: event.eventType, payload: workerChannelPayload(worker, channel, ctx) } });
    } else if (worker) {
      workers.push({ workerSid: worker.sid, frame: { event_type: event.eventType, payload: workerPayload(worker, ctx) } });
    }
  } else if (isEventOf(event, RESERVATION_EVENTS) && listening.worker(event.data.worker_sid)) {
    const [reservation, task] = await Promise.all([store.get(ws, 'reservation', event.data.reservation_sid), store.get(ws, 'task', event.data.task_sid)]);
    if (reservation)
      workers.push({ workerSid: reservation.workerSid, frame: { event_type: event.eventType, payload: reservationPayload(reservation, task, ctx) } });
  } else if (isEventOf(event, TRANSFER_EVENTS) && listening.worker(event.data.transfer_initiating_worker_sid)) {
    const payload = transferEventPayload(event.data, event.eventDate);
    workers.push({ workerSid: event.data.transfer_initiating_worker_sid, frame: { event_type: event.eventType, payload } });
  } else if (isEventOf(event, TASK_EVENTS) && listening.anyWorker) {
    const task = await store.get(ws, 'task', event.data.task_sid);
    if (task) {
      const payload = taskPayload(task, ctx);
      const holders = new Set((await api.engine.reservationsOf(ws, { task })).filter((r) => HOLDING.has(r.status)).map((r) => r.workerSid));
      for (const workerSid of holders) if (listening.worker(workerSid)) workers.push({ workerSid, frame: { event_type: event.eventType, payload } });
    }
  }
  return { workers, watchers };
}

import type { RecordByKind, ReservationRecord, ReservationStatus, TaskRecord, WorkerRecord } from '../core/model.js';
import type { EventType } from '../core/events/index.js';
import type { Change } from './change.js';
import type { EngineContext } from './context.js';
import { parseTimeMember, workerReservationsIndex } from './derived/schema.js';
import { activityUpdateEvent, makeEvent, reservationEventFields, taskFields } from './events.js';
import { isLive, reservationTimer, stepTimer, ttlTimer } from './task-state.js';
import { withActivity, withTaskCount } from './worker-state.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * State transitions shared by every path that ends reservations or tasks (API calls, timers, instructions). Each
 * records into a Change; callers commit and then run the follow-up routing the transition calls for.
 */

/** Completed and canceled tasks are removed this long after they end, as TaskRouter does. */
export const ENDED_TASK_RETENTION_MS = 5 * 60_000;
/** Pending→reserved cycles after which TaskRouter gives up on a task. */
export const MAX_ASSIGNMENTS = 1000;
export const MAX_ASSIGNMENTS_REASON = 'Task TTL Exceeded or Max assignment count exceeded';

export const cleanupTimer = (taskSid: string): string => `cleanup:${taskSid}`;
/** A task may stay assigned (or wrapping) this long; then the system deletes it (task.system-deleted). */
export const MAX_ASSIGNED_MS = 24 * 3600_000;
export const assignedTimer = (taskSid: string): string => `assigned:${taskSid}`;

/** A task's live reservations with their workers, read together so a transition can update both. */
export interface Holders {
  reservations: ReservationRecord[];
  workers: Map<string, WorkerRecord>;
}

/**
 * Reads a task's live reservations (`refs`: a task's pendingReservations, or `acceptedRef`) and their workers at once.
 * Reservations and workers the caller already holds (`known`, read along with what led here) are not read again.
 */
export async function loadHolders(
  ctx: EngineContext,
  ws: string,
  refs: ReadonlyArray<{ sid: string; workerSid: string }>,
  known: ReadonlyArray<ReservationRecord | WorkerRecord | null> = [],
): Promise<Holders> {
  const held = new Map(known.flatMap((record) => (record ? [[record.sid, record] as const] : [])));
  const [reservations, workers] = await Promise.all([
    heldOrRead(
      ctx,
      ws,
      'reservation',
      refs.map((r) => r.sid),
      held,
    ),
    heldOrRead(ctx, ws, 'worker', [...new Set(refs.map((r) => r.workerSid))], held),
  ]);
  return { reservations, workers: new Map(workers.map((w) => [w.sid, w])) };
}

/** The records of `sids` in that order: from `held` where it has them, read otherwise; those not found left out. */
async function heldOrRead<K extends 'reservation' | 'worker'>(
  ctx: EngineContext,
  ws: string,
  kind: K,
  sids: string[],
  held: ReadonlyMap<string, ReservationRecord | WorkerRecord>,
): Promise<Array<RecordByKind[K]>> {
  const missing = sids.filter((sid) => !held.has(sid));
  const read = missing.length === 0 ? [] : await ctx.store.getMany(ws, kind, missing);
  const found = new Map<string, unknown>(held);
  for (const record of read) if (record) found.set(record.sid, record);
  return sids.flatMap((sid) => (found.has(sid) ? [found.get(sid) as RecordByKind[K]] : []));
}

/** One reservation already read, with its worker (read, unless the caller holds it already). */
export function loadHolder(ctx: EngineContext, ws: string, reservation: ReservationRecord, worker: WorkerRecord | null = null): Promise<Holders> {
  return loadHolders(ctx, ws, [reservation], [reservation, worker]);
}

/** The records `acceptedRef` names, as `getLinked` reads them along with the task. */
export const ACCEPTED_LINKS = [
  { property: 'reservationSid', kind: 'reservation' },
  { property: 'workerSid', kind: 'worker' },
] as const;

/** What a reservation is read with: its task and worker, in the same round trip. */
export const RESERVATION_LINKS = [
  { property: 'taskSid', kind: 'task' },
  { property: 'workerSid', kind: 'worker' },
] as const;

/** The accepted reservation of an assigned or wrapping task, as `loadHolders` takes it (none before acceptance). */
export function acceptedRef(task: TaskRecord): Array<{ sid: string; workerSid: string }> {
  return task.reservationSid && task.workerSid ? [{ sid: task.reservationSid, workerSid: task.workerSid }] : [];
}

/** Latest version of a worker within a change (a worker may be touched twice). */
function latest(holders: Holders, sid: string): WorkerRecord | undefined {
  return holders.workers.get(sid);
}

/**
 * Moves a reservation to a new status. Ending a live reservation (anything but accepted/wrapping) frees its capacity;
 * `activitySid` moves the worker (reject with WorkerActivitySid, timeout activity, post-work activity).
 */
/** The event a reservation's move to each status raises. */
const RESERVATION_EVENT = {
  accepted: 'reservation.accepted',
  rejected: 'reservation.rejected',
  timeout: 'reservation.timeout',
  canceled: 'reservation.canceled',
  rescinded: 'reservation.rescinded',
  wrapping: 'reservation.wrapup',
  completed: 'reservation.completed',
} as const satisfies Record<Exclude<ReservationStatus, 'pending'>, EventType>;

export function setReservationStatus(
  config: WorkspaceConfig,
  change: Change,
  task: TaskRecord,
  reservation: ReservationRecord,
  status: Exclude<ReservationStatus, 'pending'>,
  holders: Holders,
  activitySid?: string | null,
): ReservationRecord {
  const written = change.put('reservation', reservation, { ...reservation, status, ...stampOf(status, change.now) });
  if (reservation.status === 'pending') change.clearTimer(reservationTimer(reservation.sid));
  const frees = status !== 'accepted' && status !== 'wrapping';
  const worker = latest(holders, reservation.workerSid);
  if (worker && (frees || activitySid)) {
    let next = frees ? withTaskCount(worker, reservation.taskChannelSid, -1, change.now) : worker;
    if (activitySid) next = withActivity(next, activitySid, config, change.now);
    const w = change.put('worker', worker, next);
    holders.workers.set(w.sid, w);
    const moved = activityUpdateEvent(config, change.now, worker, w);
    if (moved) change.emit(moved);
  }
  const holder = latest(holders, reservation.workerSid);
  // Holders are loaded with the workers of the reservations they hold, and a worker holding one cannot be deleted.
  if (!holder) throw new Error(`Worker ${reservation.workerSid} of reservation ${reservation.sid} is not held`);
  change.emit(
    makeEvent(
      RESERVATION_EVENT[status],
      config,
      change.now,
      reservation.sid,
      `Reservation ${reservation.sid} ${status}`,
      reservationEventFields(task, holder, written, config, change.now),
    ),
  );
  return written;
}

/** The time a move to `status` is remembered by: where handle time and wrap-up time start. */
function stampOf(status: ReservationStatus, now: number): Pick<ReservationRecord, 'acceptedAt' | 'wrappingAt'> {
  if (status === 'accepted') return { acceptedAt: now };
  return status === 'wrapping' ? { wrappingAt: now } : {};
}

/** Ends a task for good (canceled or completed): timers cleared, cleanup scheduled. */
function endTask(change: Change, task: TaskRecord): void {
  change.clearTimer(ttlTimer(task.sid));
  change.clearTimer(stepTimer(task.sid));
  change.clearTimer(assignedTimer(task.sid));
  change.setTimer(cleanupTimer(task.sid), change.now + ENDED_TASK_RETENTION_MS);
}

/**
 * Cancels a pending or reserved task: live reservations are canceled and their capacity freed. `eventType` lets
 * workflow outcomes (workflow.timeout, workflow.skipped) precede task.canceled.
 */
export function cancelTask(
  config: WorkspaceConfig,
  change: Change,
  task: TaskRecord,
  reason: string,
  holders: Holders,
  workflowEvent?: 'workflow.timeout' | 'workflow.skipped',
): TaskRecord {
  for (const r of holders.reservations) if (r.status === 'pending') setReservationStatus(config, change, task, r, 'canceled', holders);
  const written = change.put('task', task, { ...task, assignmentStatus: 'canceled', reason, pendingReservations: [] });
  endTask(change, written);
  if (workflowEvent)
    change.emit(makeEvent(workflowEvent, config, change.now, task.sid, `Task ${task.sid} ${workflowEvent}`, taskFields(written, config, change.now)));
  change.emit(makeEvent('task.canceled', config, change.now, task.sid, `Task ${task.sid} canceled: ${reason}`, taskFields(written, config, change.now)));
  return written;
}

/** The activity accepting `reservation` moves its worker to: its queue's assignment activity, when single-tasking. */
export function assignmentActivity(config: WorkspaceConfig, reservation: ReservationRecord): string | null {
  if (config.workspace.multiTaskEnabled) return null;
  return config.queues.get(reservation.taskQueueSid)?.assignmentActivitySid ?? null;
}

/** The agent took the task: the reservation is accepted, any others rescinded, the task assigned. */
export function acceptReservation(config: WorkspaceConfig, change: Change, task: TaskRecord, reservation: ReservationRecord, holders: Holders): TaskRecord {
  setReservationStatus(config, change, task, reservation, 'accepted', holders, assignmentActivity(config, reservation));
  for (const other of holders.reservations) {
    if (other.sid !== reservation.sid && other.status === 'pending') setReservationStatus(config, change, task, other, 'rescinded', holders);
  }
  const written = change.put('task', task, {
    ...task,
    assignmentStatus: 'assigned',
    pendingReservations: [],
    workerSid: reservation.workerSid,
    reservationSid: reservation.sid,
  });
  change.clearTimer(ttlTimer(task.sid));
  change.clearTimer(stepTimer(task.sid));
  change.setTimer(assignedTimer(task.sid), change.now + MAX_ASSIGNED_MS);
  change.emit(makeEvent('task.updated', config, change.now, task.sid, `Task ${task.sid} assigned`, taskFields(written, config, change.now)));
  return written;
}

/** A live reservation ended unaccepted (rejected, timed out): the task waits again once none is left. */
export function releaseReservation(
  config: WorkspaceConfig,
  change: Change,
  task: TaskRecord,
  reservation: ReservationRecord,
  status: 'rejected' | 'timeout',
  holders: Holders,
  activitySid: string | null,
): TaskRecord {
  setReservationStatus(config, change, task, reservation, status, holders, activitySid);
  const pending = task.pendingReservations.filter((r) => r.sid !== reservation.sid);
  return change.put('task', task, {
    ...task,
    pendingReservations: pending,
    assignmentStatus: pending.length === 0 && isLive(task) ? 'pending' : task.assignmentStatus,
    rejectedWorkerSids: status === 'rejected' ? [...new Set([...task.rejectedWorkerSids, reservation.workerSid])] : task.rejectedWorkerSids,
  });
}

/** assigned → wrapping, with its accepted reservation. */
export function wrapTask(config: WorkspaceConfig, change: Change, task: TaskRecord, reason: string | null, holders: Holders): TaskRecord {
  for (const r of holders.reservations) if (r.status === 'accepted') setReservationStatus(config, change, task, r, 'wrapping', holders);
  const written = change.put('task', task, { ...task, assignmentStatus: 'wrapping', reason: reason ?? task.reason });
  change.emit(makeEvent('task.wrapup', config, change.now, task.sid, `Task ${task.sid} wrapping up`, taskFields(written, config, change.now)));
  return written;
}

/** assigned/wrapping → completed: the worker's capacity is freed. */
export function completeTask(config: WorkspaceConfig, change: Change, task: TaskRecord, reason: string, holders: Holders): TaskRecord {
  const written = change.put('task', task, { ...task, assignmentStatus: 'completed', reason });
  change.emit(makeEvent('task.completed', config, change.now, task.sid, `Task ${task.sid} completed: ${reason}`, taskFields(written, config, change.now)));
  for (const r of holders.reservations) {
    if (r.status === 'accepted' || r.status === 'wrapping') setReservationStatus(config, change, written, r, 'completed', holders);
  }
  endTask(change, written);
  return written;
}

/** Reservations of a worker, oldest first (sids). */
export async function workerReservationSids(ctx: EngineContext, ws: string, workerSid: string): Promise<string[]> {
  return allMembers(ctx, ws, workerReservationsIndex(workerSid));
}

async function allMembers(ctx: EngineContext, ws: string, index: string): Promise<string[]> {
  const sids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ctx.store.rangeIndex(ws, index, 500, after);
    if (page.length === 0) return sids;
    after = page[page.length - 1];
    for (const m of page) sids.push(parseTimeMember(m).sid);
  }
}

/** Removes a reservation for good, with its index entries and timer. */
export function deleteReservation(change: Change, reservation: ReservationRecord): void {
  change.clearTimer(reservationTimer(reservation.sid));
  change.delete('reservation', reservation);
}

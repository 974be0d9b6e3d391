import type { ReservationStatus } from '../core/model.js';
import type { RoutingEngine } from '../engine/engine.js';

/** Reservations a worker holds: offered, taken, or in wrap-up. */
export const ACTIVE_RESERVATION_STATUSES: ReadonlySet<ReservationStatus> = new Set(['pending', 'accepted', 'wrapping']);

/** Reservations of a worker who took the task, or may: the active ones, and one the worker completed. */
export const HANDLED_RESERVATION_STATUSES: ReadonlySet<ReservationStatus> = new Set([...ACTIVE_RESERVATION_STATUSES, 'completed']);

/**
 * Whether `workerSid` holds a reservation for task `taskSid` in one of `statuses` (the active ones unless given):
 * what lets a worker token reach the task (see `TokenScope.task`).
 */
export async function holdsReservation(
  engine: RoutingEngine,
  workspaceSid: string,
  taskSid: string,
  workerSid: string,
  statuses: ReadonlySet<ReservationStatus> = ACTIVE_RESERVATION_STATUSES,
): Promise<boolean> {
  const reservations = await engine.reservationsOf(workspaceSid, { taskSid });
  return reservations.some((r) => r.workerSid === workerSid && statuses.has(r.status));
}

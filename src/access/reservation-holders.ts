import type { ReservationStatus } from '../core/model.js';
import type { RoutingEngine } from '../engine/engine.js';

/** Reservations a worker holds: offered, taken, or in wrap-up. */
export const ACTIVE_RESERVATION_STATUSES: ReadonlySet<ReservationStatus> = new Set(['pending', 'accepted', 'wrapping']);

/**
 * Whether `workerSid` holds an active reservation for task `taskSid`: what lets a worker token reach the task (see
 * `TokenScope.task`).
 */
export async function holdsReservation(engine: RoutingEngine, workspaceSid: string, taskSid: string, workerSid: string): Promise<boolean> {
  const reservations = await engine.reservationsOf(workspaceSid, { taskSid });
  return reservations.some((r) => r.workerSid === workerSid && ACTIVE_RESERVATION_STATUSES.has(r.status));
}

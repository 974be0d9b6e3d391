import { TwilioError } from '../core/errors.js';
import type { RoutingEngine } from '../engine/engine.js';

/**
 * Task changes a call's progress causes. Each first checks the task is still where the change applies, and a lost
 * race with another change (the caller's hang-up and the agent's answer arriving together) is not an error: the
 * other change decided.
 */

/** The caller left before being connected: a waiting task is canceled, with why as its reason. */
export async function cancelForCaller(engine: RoutingEngine, ws: string, taskSid: string, reason: string): Promise<boolean> {
  const task = await engine.store.get(ws, 'task', taskSid);
  if (!task || (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved')) return false;
  return settle(engine.updateTask(ws, taskSid, { assignmentStatus: 'canceled', reason }));
}

/** The conversation ended: an assigned task moves to wrap-up. */
export async function wrapAfterCall(engine: RoutingEngine, ws: string, taskSid: string, reservationSid?: string): Promise<boolean> {
  const task = await engine.store.get(ws, 'task', taskSid);
  if (!task || task.assignmentStatus !== 'assigned') return false;
  if (reservationSid !== undefined && task.reservationSid !== reservationSid) return false;
  return settle(engine.updateTask(ws, taskSid, { assignmentStatus: 'wrapping', reason: 'call ended' }));
}

/** Runs a change; an error of the routing core (the state moved on meanwhile) means it no longer applies. */
export async function settle(change: Promise<unknown>): Promise<boolean> {
  try {
    await change;
    return true;
  } catch (err) {
    if (err instanceof TwilioError && err.status < 500) return false;
    throw err;
  }
}

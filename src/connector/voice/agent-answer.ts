import type { RoutingEngine } from '../../engine/engine.js';
import type { AgentLeg } from './agent-leg.js';
import { mergeTaskAttributes } from '../task-attributes.js';
import { settle, wrapAfterCall } from '../task-lifecycle.js';

/** Call statuses of a leg that was never answered. */
const UNANSWERED = new Set(['no-answer', 'busy', 'failed', 'canceled']);

/** Accepts the leg's reservation, or finds it accepted already (a repeated answer); false when it moved on. */
export async function acceptReservation(engine: RoutingEngine, leg: AgentLeg): Promise<boolean> {
  const ws = leg.workspaceSid;
  const reservation = await engine.store.get(ws, 'reservation', leg.reservationSid);
  if (reservation?.status === 'accepted') return true;
  if (reservation?.status !== 'pending') return false;
  return settle(engine.updateReservation(ws, { taskSid: leg.taskSid }, leg.reservationSid, { reservationStatus: 'accepted' }));
}

/**
 * The agent answered: the reservation is accepted now — the moment TaskRouter accepts a dequeue — and the task
 * learns the agent's call as `worker_call_sid`. False when the call is no longer the agent's to take (the caller
 * hung up, the reservation timed out or went to someone else); a repeated answer of the same leg stays true.
 */
export async function acceptOnAnswer(engine: RoutingEngine, leg: AgentLeg, agentCallSid: string): Promise<boolean> {
  if (!(await acceptReservation(engine, leg))) return false;
  await mergeTaskAttributes(engine, leg.workspaceSid, leg.taskSid, { worker_call_sid: agentCallSid });
  return true;
}

/**
 * The agent's leg reached a final status. Unanswered: the reservation is rejected, so the caller — still in line —
 * is offered to the next agent. Completed after the agent took the call: the task moves to wrap-up and the worker
 * to the post-work activity, if one was asked for.
 */
export async function agentLegEnded(engine: RoutingEngine, leg: AgentLeg, callStatus: string): Promise<void> {
  const ws = leg.workspaceSid;
  const reservation = await engine.store.get(ws, 'reservation', leg.reservationSid);
  if (!reservation) return;
  if (reservation.status === 'pending' && (UNANSWERED.has(callStatus) || callStatus === 'completed')) {
    await settle(engine.updateReservation(ws, { taskSid: leg.taskSid }, leg.reservationSid, { reservationStatus: 'rejected' }));
    return;
  }
  if (callStatus !== 'completed') return;
  await wrapAfterCall(engine, ws, leg.taskSid, leg.reservationSid);
  const tookCall = ['accepted', 'wrapping', 'completed'].includes(reservation.status);
  if (tookCall && leg.postWorkActivitySid) {
    await settle(engine.updateWorker(ws, reservation.workerSid, { activitySid: leg.postWorkActivitySid }));
  }
}

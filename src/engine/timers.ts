import { transact, type EngineContext } from './context.js';
import { cancelTask, loadHolder, loadHolders, releaseReservation } from './lifecycle.js';
import { removeTask } from './tasks.js';
import { freedWorkers, pullForWorkers, type FreedWorker } from './matching.js';
import { reevaluateTask } from './placement.js';
import { isLive, reservationTimer, ttlTimer } from './task-state.js';
import { answerTransferOffer, isTransferOffer } from './transfers.js';
import { withSpan } from '../telemetry/tracing.js';
import { log } from '../telemetry/log.js';

/** A claimed timer stays hidden this long; if its handler's process dies, another process fires it after. */
const LEASE_MS = 5_000;
const BATCH = 100;

export const TTL_REASON = 'Task TTL Exceeded';

/** Fires every due timer, in batches, until none is due. Returns how many were handled. */
export async function runDueTimers(ctx: EngineContext): Promise<number> {
  let handled = 0;
  for (;;) {
    const due = await ctx.store.claimDueTimers(ctx.clock.now(), BATCH, LEASE_MS);
    if (due.length === 0) return handled;
    for (const timer of due) {
      try {
        const attributes = { 'switchboard.workspace_sid': timer.workspaceSid, 'switchboard.timer': timer.id };
        await withSpan('engine.fireTimer', attributes, () => fire(ctx, timer.workspaceSid, timer.id));
      } catch (err) {
        // Left claimed: it fires again when its lease runs out.
        log.error({ err, workspace_sid: timer.workspaceSid, timer: timer.id }, 'timer failed');
      }
      handled += 1;
    }
  }
}

async function fire(ctx: EngineContext, ws: string, id: string): Promise<void> {
  const [kind, sid] = id.split(':') as [string, string];
  switch (kind) {
    case 'res':
      return reservationTimedOut(ctx, ws, sid);
    case 'step':
      return reevaluateTask(ctx, ws, sid, 'timeout');
    case 'ttl':
      return ttlExpired(ctx, ws, sid);
    case 'cleanup':
      return removeEndedTask(ctx, ws, sid);
    case 'assigned':
      return removeLongAssignedTask(ctx, ws, sid);
    default:
      await ctx.store.commit(ws, { timers: [{ op: 'clear', id }] });
  }
}

/** No answer in time: the reservation times out, the worker goes to the workspace's timeout activity. */
async function reservationTimedOut(ctx: EngineContext, ws: string, reservationSid: string): Promise<void> {
  const outcome = await transact(ctx, ws, async (config, change) => {
    change.clearTimer(reservationTimer(reservationSid));
    const reservation = await ctx.store.get(ws, 'reservation', reservationSid);
    if (!reservation || reservation.status !== 'pending') return null;
    const task = await ctx.store.get(ws, 'task', reservation.taskSid);
    if (!task) return null;
    if (isTransferOffer(task, reservation)) {
      const answered = await answerTransferOffer(ctx, config, change, task, reservation, 'timeout', null, config.workspace.timeoutActivitySid);
      return { taskSid: task.sid, freed: answered.freed, waiting: answered.reevaluate };
    }
    const holders = await loadHolder(ctx, ws, reservation);
    const next = releaseReservation(config, change, task, reservation, 'timeout', holders, config.workspace.timeoutActivitySid);
    return { taskSid: task.sid, freed: freedWorkers(config, change, [reservation.workerSid]), waiting: next.assignmentStatus === 'pending' };
  });
  if (!outcome) return;
  if (outcome.waiting) await reevaluateTask(ctx, ws, outcome.taskSid);
  await pullForWorkers(ctx, ws, outcome.freed);
}

async function ttlExpired(ctx: EngineContext, ws: string, taskSid: string): Promise<void> {
  const freed = await transact(ctx, ws, async (config, change) => {
    change.clearTimer(ttlTimer(taskSid));
    const task = await ctx.store.get(ws, 'task', taskSid);
    if (!task || !isLive(task)) return [] as FreedWorker[];
    const holders = await loadHolders(ctx, ws, task.pendingReservations);
    cancelTask(config, change, task, TTL_REASON, holders);
    return freedWorkers(
      config,
      change,
      holders.reservations.map((r) => r.workerSid),
    );
  });
  await pullForWorkers(ctx, ws, freed);
}

/** Ended tasks are removed a while after they end, with their reservations (no event: TaskRouter sends none). */
function removeEndedTask(ctx: EngineContext, ws: string, taskSid: string): Promise<void> {
  return removeTask(ctx, ws, taskSid, { eventType: null, when: (t) => t.assignmentStatus === 'completed' || t.assignmentStatus === 'canceled' });
}

/** A task assigned for longer than TaskRouter allows is deleted by the system, freeing its worker. */
function removeLongAssignedTask(ctx: EngineContext, ws: string, taskSid: string): Promise<void> {
  return removeTask(ctx, ws, taskSid, {
    eventType: 'task.system-deleted',
    when: (t) => t.assignmentStatus === 'assigned' || t.assignmentStatus === 'wrapping',
  });
}

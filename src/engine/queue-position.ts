import { notFound } from '../core/errors.js';
import type { Change } from './change.js';
import type { EngineContext } from './context.js';
import { paceGroup, parseCounterKey, pendingIndex, pendingMember, reservedInMinuteKey } from './derived/schema.js';
import { isWaiting } from './task-state.js';

/**
 * Where a waiting task stands in its queue, and how long it may still wait — what a caller on hold wants to hear.
 * Beyond TaskRouter: its API has no such figure. Both come from what routing keeps anyway, so a hold-music loop can
 * ask every few seconds: the position is the task's rank in the queue's pending index, and the estimate divides
 * it by the queue's recent pace (tasks it reserved per minute, counted per minute in its pace group: derived/schema.ts).
 */
export interface QueuePosition {
  taskSid: string;
  taskQueueSid: string | null;
  assignmentStatus: string;
  /** 1 = next in line; null when the task is not waiting (reserved, assigned, ended) or not in a queue. */
  position: number | null;
  /** Tasks waiting in the same queue and channel. */
  queueLength: number;
  /** Tasks the queue reserved per minute over the last `PACE_WINDOW_MINUTES`. */
  pacePerMinute: number;
  /** Seconds until the task is likely reserved; null when the queue has reserved nothing lately. */
  estimatedWaitSeconds: number | null;
}

export const PACE_WINDOW_MINUTES = 15;
/** Per-minute counts older than this are removed by the sweep. */
export const PACE_KEEP_MINUTES = 60;

const minuteOf = (ms: number): number => Math.floor(ms / 60_000);

/** The minute a pace counter counts (NaN for a key that is none: it is in no window, and never forgotten). */
function minuteOfKey(key: string): number {
  const parsed = parseCounterKey(key);
  return parsed?.figure === 'reservedInMinute' ? parsed.minute : NaN;
}

/** Counts one task reserved from the queue in the current minute. */
export function countReservation(change: Change, queueSid: string): void {
  change.increment(paceGroup(queueSid), reservedInMinuteKey(minuteOf(change.now)), 1);
}

export async function queuePosition(ctx: EngineContext, ws: string, taskSid: string): Promise<QueuePosition> {
  const task = await ctx.store.get(ws, 'task', taskSid);
  if (!task) throw notFound(`The requested resource /Workspaces/${ws}/Tasks/${taskSid} was not found`);
  const config = await ctx.configs.get(ctx.store, ws);
  const queueSid = task.target?.queueSid ?? task.taskQueueSid;
  const queue = queueSid ? config.queues.get(queueSid) : undefined;
  const now = ctx.clock.now();
  const base = { taskSid, taskQueueSid: queueSid ?? null, assignmentStatus: task.assignmentStatus };
  if (!queue) return { ...base, position: null, queueLength: 0, pacePerMinute: 0, estimatedWaitSeconds: null };

  const index = pendingIndex(queue.sid, task.taskChannelSid);
  const [rank, queueLength, counts] = await Promise.all([
    isWaiting(task) ? ctx.store.rankInIndex(ws, index, pendingMember(task.priority, task.virtualStartTime, queue.taskOrder, task.sid)) : null,
    ctx.store.countIndex(ws, index),
    ctx.store.readCounters(ws, paceGroup(queue.sid)),
  ]);
  const current = minuteOf(now);
  let reserved = 0;
  for (const [key, n] of Object.entries(counts)) {
    const minute = minuteOfKey(key);
    if (minute > current - PACE_WINDOW_MINUTES && minute <= current) reserved += n;
  }
  const pacePerMinute = reserved / PACE_WINDOW_MINUTES;
  const position = rank === null ? null : rank + 1;
  const estimatedWaitSeconds = position === null ? null : pacePerMinute > 0 ? Math.ceil((position / pacePerMinute) * 60) : null;
  return { ...base, position, queueLength, pacePerMinute, estimatedWaitSeconds };
}

/** Removes per-minute counts that have fallen out of every window (run by the sweep). */
export async function forgetOldPace(ctx: EngineContext, ws: string, queueSid: string, now: number): Promise<void> {
  const counts = await ctx.store.readCounters(ws, paceGroup(queueSid));
  const old = Object.entries(counts).filter(([key]) => minuteOfKey(key) <= minuteOf(now) - PACE_KEEP_MINUTES);
  if (old.length === 0) return;
  await ctx.store.commit(ws, { counters: old.map(([key, n]) => ({ group: paceGroup(queueSid), key, delta: -n })) });
}

import type { OrderByKey } from '../core/expression/index.js';
import type { QueueOrder, TaskQueueRecord, TaskRecord, WorkerRecord } from '../core/model.js';
import type { IndexWindow } from '../store/routing-store.js';
import { newSid } from '../core/sid.js';
import type { Change } from './change.js';
import { transact, type EngineContext } from './context.js';
import { idleIndex, type IndexName } from './derived/schema.js';
import { activityUpdateEvent, reservationCreatedEvent } from './events.js';
import { FirstAttempt } from './first-attempt.js';
import { readHeadsWithCommit, type HeadsReadBack } from './heads-read-back.js';
import { cancelTask, loadHolders, MAX_ASSIGNMENTS, MAX_ASSIGNMENTS_REASON } from './lifecycle.js';
import { countReservation } from './queue-position.js';
import { matches, parseAttributes, targetScope } from './routing-scope.js';
import { isWaiting, reservationTimer } from './task-state.js';
import { canTakeTask, pendingSources, withActivity, withTaskCount } from './worker-state.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { workerKey } from './workspaces.js';

/**
 * Matching in both directions. A waiting task looks for idle eligible workers in its queue (longest idle first, or
 * the target's order_by); a worker with free capacity looks across its queues for the best waiting task (highest
 * priority, then oldest — or newest in LIFO queues). Candidates come from the sorted indexes a window at a time; the
 * reservation commit re-checks the versions it read, so two matchers racing for one worker or task cannot both win.
 */

/**
 * Candidates read per window: small first, since the head usually fits (each read carries whole records), then
 * growing geometrically while candidates keep failing a target expression.
 */
const FIRST_WINDOW = 4;
const MAX_WINDOW = 128;
const nextWindow = (size: number): number => Math.min(MAX_WINDOW, size * 4);
/** How far down an index one match looks before giving up (candidates failing a target expression are skipped). */
const SCAN_LIMIT = 2_000;
/** With order_by, every eligible worker up to this many is ranked. */
const ORDER_BY_LIMIT = 1_000;

/** Is the worker one this task's current step may be offered to? */
export function workerFitsTask(task: TaskRecord, worker: WorkerRecord, config: WorkspaceConfig, now: number): boolean {
  const target = task.target;
  if (!target) return false;
  if (task.rejectedWorkerSids.includes(worker.sid)) return false;
  // A task routed straight to a worker with IgnoreCapacity reaches it whatever its queues, activity or load.
  const direct = task.ignoreCapacity && task.routingTarget === worker.sid;
  if (!direct && !worker.queueSids.includes(target.queueSid)) return false;
  if (!direct && !canTakeTask(worker, task.taskChannelSid, config)) return false;
  if (task.pendingReservations.some((r) => r.workerSid === worker.sid)) return false;
  if (target.knownWorkerSid !== null && target.knownWorkerSid !== worker.sid) return false;
  if (target.knownWorkerFriendlyName !== null && target.knownWorkerFriendlyName.toLowerCase() !== worker.friendlyName.toLowerCase()) {
    return false;
  }
  if (target.expression) return matches(target.expression, targetScope(parseAttributes(task.attributes), worker, config, now));
  return true;
}

/**
 * Workers to reserve for a waiting task now: up to the free multi-reservation slots. They are held for `change`'s
 * commit: workers another transaction of this process holds are passed over (reserving-workers.ts).
 */
export async function findWorkersForTask(ctx: EngineContext, config: WorkspaceConfig, task: TaskRecord, change: Change): Promise<WorkerRecord[]> {
  const now = change.now;
  const target = task.target!;
  const slots = target.maxReservedWorkers - task.pendingReservations.length;
  if (slots <= 0) return [];
  const ws = config.workspace.sid;
  if (target.knownWorkerSid !== null || target.knownWorkerFriendlyName !== null) {
    const sid = target.knownWorkerSid ?? (await ctx.store.lookupUnique(ws, workerKey(target.knownWorkerFriendlyName!)));
    const worker = sid ? await ctx.store.get(ws, 'worker', sid) : null;
    return worker && workerFitsTask(task, worker, config, now) ? [worker] : [];
  }
  const orderBy: OrderByKey[] | null = target.orderBy ? (JSON.parse(target.orderBy) as OrderByKey[]) : null;
  const index = idleIndex(target.queueSid, task.taskChannelSid);
  const found: WorkerRecord[] = [];
  let after: string | undefined;
  // With order_by every eligible worker is ranked, so read in large windows from the start. The idle index holds just
  // the queue's workers with room on the task's channel, so when nothing else sets workers aside (a target expression,
  // workers that rejected the task or hold a reservation for it) its head fits: read only the heads wanted, as a
  // larger window costs Redis more (docs/performance.md, "Requests to Redis per lifecycle").
  // Workers held by other transactions of this process are likely gone from the head by the time this one commits:
  // read past them and take them only when no one else fits, so the hint never leaves a task without a worker it
  // would have found. With order_by the ranking decides, not the hint.
  const look = orderBy ? null : ctx.reserving.look(ws, index);
  const passedOver: WorkerRecord[] = [];
  const sieved = target.expression !== null || task.rejectedWorkerSids.length > 0 || task.pendingReservations.length > 0;
  let size = orderBy ? MAX_WINDOW : Math.min(MAX_WINDOW, (sieved ? Math.max(FIRST_WINDOW, slots) : slots) + look!.extra);
  try {
    for (let scanned = 0; scanned < SCAN_LIMIT; size = nextWindow(size)) {
      const window = await ctx.store.rangeIndexRecords(ws, index, 'worker', size, after);
      after = window[window.length - 1]?.member;
      scanned += window.length;
      for (const { record: worker } of window) {
        if (!worker || !workerFitsTask(task, worker, config, now)) continue;
        if (look && ctx.reserving.isHeld(ws, index, worker.sid)) {
          passedOver.push(worker);
          continue;
        }
        found.push(worker);
        if (!orderBy && found.length >= slots) return holdFor(ctx, ws, index, found, change);
        if (orderBy && found.length >= ORDER_BY_LIMIT) break;
      }
      // A window short of its size reached the end of the index.
      if (window.length < size || found.length >= ORDER_BY_LIMIT) break;
    }
  } finally {
    look?.landed();
  }
  if (orderBy) return holdFor(ctx, ws, index, rankByOrderBy(found, orderBy).slice(0, slots), change);
  return holdFor(ctx, ws, index, [...found, ...passedOver.slice(0, slots - found.length)], change);
}

function holdFor(ctx: EngineContext, ws: string, index: IndexName, workers: WorkerRecord[], change: Change): WorkerRecord[] {
  ctx.reserving.hold(
    ws,
    index,
    workers.map((worker) => worker.sid),
    change,
  );
  return workers;
}

/** order_by over worker attributes; workers lacking an attribute come after those that have it; ties keep idle order. */
function rankByOrderBy(workers: WorkerRecord[], keys: OrderByKey[]): WorkerRecord[] {
  const values = new Map(workers.map((w) => [w.sid, keys.map((k) => lookup({ worker: parseAttributes(w.attributes) }, k.path))]));
  return [...workers].sort((a, b) => {
    const va = values.get(a.sid)!;
    const vb = values.get(b.sid)!;
    for (const [i, key] of keys.entries()) {
      const x = va[i];
      const y = vb[i];
      const xn = typeof x === 'number';
      const yn = typeof y === 'number';
      if (!xn && !yn) continue;
      if (!xn) return 1;
      if (!yn) return -1;
      if (x !== y) return key.direction === 'ASC' ? x - y : y - x;
    }
    return 0;
  });
}

function lookup(root: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Records reservations of `task` for `workers` in `change`: task reserved, capacity taken, reservation timers set,
 * events emitted. The commit fails if any of them changed since read.
 */
export function recordReservations(config: WorkspaceConfig, change: Change, task: TaskRecord, workers: WorkerRecord[]): TaskRecord {
  const now = change.now;
  const queue = config.queues.get(task.target!.queueSid);
  const workflow = task.workflowSid ? config.workflows.get(task.workflowSid) : undefined;
  const timeoutMs = (workflow?.taskReservationTimeout ?? 120) * 1000;
  const next: TaskRecord = { ...task, pendingReservations: [...task.pendingReservations] };
  if (next.assignmentStatus === 'pending') {
    next.assignmentStatus = 'reserved';
    next.assignmentCount += 1;
    countReservation(change, task.target!.queueSid);
  }
  const created = [];
  for (const worker of workers) {
    const reservation = change.put('reservation', null, {
      sid: newSid('WR'),
      workspaceSid: config.workspace.sid,
      taskSid: task.sid,
      workerSid: worker.sid,
      workerName: worker.friendlyName,
      taskQueueSid: task.target!.queueSid,
      workflowSid: task.workflowSid,
      taskChannelSid: task.taskChannelSid,
      status: 'pending',
      timeoutAt: now + timeoutMs,
      instruction: null,
      dateCreated: now,
      dateUpdated: now,
      version: 0,
    });
    next.pendingReservations.push({ sid: reservation.sid, workerSid: worker.sid });
    next.reservationSids = [...next.reservationSids, reservation.sid];
    let updated = withTaskCount(worker, task.taskChannelSid, 1, now);
    if (!config.workspace.multiTaskEnabled && queue?.reservationActivitySid) {
      updated = withActivity(updated, queue.reservationActivitySid, config, now);
    }
    const written = change.put('worker', worker, updated);
    change.setTimer(reservationTimer(reservation.sid), reservation.timeoutAt);
    created.push({ reservation, worker: written, before: worker });
  }
  const writtenTask = change.put('task', task, next);
  for (const { reservation, worker, before } of created) {
    change.emit(reservationCreatedEvent(config, now, writtenTask, worker, reservation, `Task ${task.sid} reserved for worker ${worker.friendlyName}`));
    // Single-tasking queues move the worker to their ReservationActivity: that is an activity change like any other.
    const moved = activityUpdateEvent(config, now, before, worker);
    if (moved) change.emit(moved);
  }
  return writtenTask;
}

/**
 * Reserves, unless the task has been through TaskRouter's maximum of pending→reserved cycles: then it is canceled.
 * Returns the reserved task, or null when it was canceled instead.
 */
async function reserveOrGiveUp(
  ctx: EngineContext,
  config: WorkspaceConfig,
  change: Change,
  task: TaskRecord,
  workers: WorkerRecord[],
): Promise<TaskRecord | null> {
  if (task.assignmentStatus === 'pending' && task.assignmentCount >= MAX_ASSIGNMENTS) {
    cancelTask(config, change, task, MAX_ASSIGNMENTS_REASON, await loadHolders(ctx, config.workspace.sid, []));
    return null;
  }
  return recordReservations(config, change, task, workers);
}

/**
 * Tries to reserve workers for a waiting task. `known` is the task as its caller just wrote it, in hand for the first
 * attempt (first-attempt.ts). Returns how many reservations were made (−1: the task isn't waiting) and the task as it
 * now stands, when known.
 */
export async function reserveForTask(ctx: EngineContext, ws: string, taskSid: string, known?: TaskRecord): Promise<{ made: number; task: TaskRecord | null }> {
  const first = new FirstAttempt(known);
  return transact(ctx, ws, async (config, change) => {
    const task = first.take() ?? (await ctx.store.get(ws, 'task', taskSid));
    if (!task || !isWaiting(task)) return { made: -1, task };
    const workers = await findWorkersForTask(ctx, config, task, change);
    if (workers.length === 0) return { made: 0, task };
    const reserved = await reserveOrGiveUp(ctx, config, change, task, workers);
    return { made: reserved ? workers.length : -1, task: reserved };
  });
}

interface Candidate {
  task: TaskRecord;
  queue: TaskQueueRecord;
}

/**
 * The best waiting task for a worker across its queues and channels, or null. `readBack`: heads of its pending
 * indexes read by the commit that freed it, used when they are the ones it would read.
 */
async function findTaskForWorker(
  ctx: EngineContext,
  config: WorkspaceConfig,
  worker: WorkerRecord,
  now: number,
  readBack?: HeadsReadBack,
): Promise<TaskRecord | null> {
  const ws = config.workspace.sid;
  const sources = pendingSources(worker, config);
  if (sources.length === 0) return null;
  // The heads of every queue and channel the worker could take a task from come in one read, however many there
  // are; only an index whose head holds nothing for this worker is read further.
  const indexes = sources.map((source) => source.index);
  const heads = readBack?.headsOf(indexes) ?? (await ctx.store.rangeIndexHeads(ws, indexes, 'task', FIRST_WINDOW));
  const looks = sources.map(async ({ queue, index }, i) => ({
    queue,
    task: await firstFittingTask(ctx, ws, index, worker, config, now, heads[i]!),
  }));
  let best: Candidate | null = null;
  for (const { queue, task } of await Promise.all(looks)) {
    if (task && (!best || isBetter({ task, queue }, best, config.workspace.prioritizeQueueOrder))) best = { task, queue };
  }
  return best?.task ?? null;
}

/** The first task of a pending index this worker may take, looking past `head` (its first window) as needed. */
async function firstFittingTask(
  ctx: EngineContext,
  ws: string,
  index: IndexName,
  worker: WorkerRecord,
  config: WorkspaceConfig,
  now: number,
  head: IndexWindow<'task'>,
): Promise<TaskRecord | null> {
  let window = head;
  for (let scanned = 0, size = FIRST_WINDOW; ;) {
    for (const { record: task } of window) {
      if (task && isWaiting(task) && workerFitsTask(task, worker, config, now)) return task;
    }
    scanned += window.length;
    // A window short of its size reached the end of the index.
    if (window.length < size || scanned >= SCAN_LIMIT) return null;
    const after = window[window.length - 1]!.member;
    size = nextWindow(size);
    window = await ctx.store.rangeIndexRecords(ws, index, 'task', size, after);
  }
}

/** Priority first; at equal priority the workspace's PrioritizeQueueOrder picks between FIFO and LIFO queues. */
function isBetter(a: Candidate, b: Candidate, prioritize: QueueOrder): boolean {
  if (a.task.priority !== b.task.priority) return a.task.priority > b.task.priority;
  if (a.queue.taskOrder !== b.queue.taskOrder) return a.queue.taskOrder === prioritize;
  if (a.task.virtualStartTime !== b.task.virtualStartTime) {
    return a.queue.taskOrder === 'FIFO' ? a.task.virtualStartTime < b.task.virtualStartTime : a.task.virtualStartTime > b.task.virtualStartTime;
  }
  return a.task.sid < b.task.sid;
}

/**
 * A worker able to take work pulls the best waiting tasks until it is full or nothing fits. Named by sid it is read;
 * as its caller just wrote it, that record and the heads its caller's commit read back are in hand for the first
 * attempt (first-attempt.ts, heads-read-back.ts).
 */
export async function pullForWorker(ctx: EngineContext, ws: string, freed: FreedWorker): Promise<number> {
  const workerSid = typeof freed === 'string' ? freed : freed.worker.sid;
  const first = new FirstAttempt(typeof freed === 'string' ? undefined : freed);
  let reserved = 0;
  for (let guard = 0; guard < 100; guard++) {
    const made = await transact(ctx, ws, async (config, change) => {
      const held = first.take();
      const worker = held?.worker ?? (await ctx.store.get(ws, 'worker', workerSid));
      if (!worker) return false;
      const task = await findTaskForWorker(ctx, config, worker, change.now, held?.readBack);
      if (!task) return false;
      await reserveOrGiveUp(ctx, config, change, task, [worker]);
      return true;
    });
    if (!made) break;
    reserved += 1;
  }
  return reserved;
}

/**
 * A worker about to look for work: its sid (it is read first), or as its caller just wrote it, with the heads of its
 * pending indexes when that caller's commit read them back.
 */
export type FreedWorker = string | { worker: WorkerRecord; readBack?: HeadsReadBack };

/**
 * Workers a change frees, as it writes them: they look for work next without being read again, the first one from
 * heads read back with the change's commit (heads-read-back.ts).
 */
export function freedWorkers(config: WorkspaceConfig, change: Change, workerSids: string[]): FreedWorker[] {
  return workerSids.map((sid, i) => {
    const worker = change.written('worker', sid);
    if (!worker) return sid;
    if (i > 0) return { worker };
    return {
      worker,
      readBack: readHeadsWithCommit(
        change,
        pendingSources(worker, config).map((source) => source.index),
        FIRST_WINDOW,
      ),
    };
  });
}

/** Each worker in turn pulls work (see `pullForWorker`). */
export async function pullForWorkers(ctx: EngineContext, ws: string, workers: Iterable<FreedWorker>): Promise<void> {
  for (const freed of workers) await pullForWorker(ctx, ws, freed);
}

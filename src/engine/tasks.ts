import { badRequest, notFound, preconditionFailed } from '../core/errors.js';
import type { ReservationRecord, TaskRecord, WorkerRecord } from '../core/model.js';
import { newSid } from '../core/sid.js';
import { attributesJson, intInRange } from '../core/validate.js';
import type { Change } from './change.js';
import type { TaskInput } from './commands.js';
import { transact, type EngineContext } from './context.js';
import { makeEvent, taskFields } from './events.js';
import { ACCEPTED_LINKS, acceptedRef, assignedTimer, cancelTask, cleanupTimer, completeTask, deleteReservation, loadHolders, wrapTask } from './lifecycle.js';
import { findWorkersForTask, freedWorkers, pullForWorkers, recordReservations, type FreedWorker } from './matching.js';
import { emitStepEntered, emitTargetMatched, enterStep, planFor, reevaluateTask, routeTask } from './placement.js';
import { readLinked } from './recent-writes.js';
import { parseAttributes } from './routing-scope.js';
import { isWaiting, stepTimer, ttlTimer, type Step } from './task-state.js';
import { withTaskCount } from './worker-state.js';
import { findChannel, type WorkspaceConfig } from './workspace-config.js';
import { recordingContext } from '../telemetry/trace-context.js';

/** The highest priority a task may have. */
export const MAX_PRIORITY = 2_147_483_647;
const DEFAULT_TTL = 86_400;
const MAX_TTL = 1_209_600;
const EARLIEST_START = Date.UTC(1900, 0, 1);

export function requireTask(task: TaskRecord | null, ws: string, sid: string): TaskRecord {
  if (!task) throw notFound(`The requested resource /Workspaces/${ws}/Tasks/${sid} was not found`);
  return task;
}

/** If-Match: the client's version must be the current one. */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined || ifMatch === '*') return;
  const wanted = ifMatch.replace(/^W\//, '').replace(/"/g, '').trim();
  if (wanted !== String(version)) throw preconditionFailed(`The resource has changed: version is ${version}, If-Match was ${ifMatch}`);
}

export async function createTask(ctx: EngineContext, ws: string, input: TaskInput): Promise<TaskRecord> {
  const attributes = attributesJson(input.attributes ?? '{}');
  const created = await transact(ctx, ws, async (config, change) => {
    const now = change.now;
    const channel = findChannel(config, input.taskChannel ?? 'default');
    if (!channel) throw badRequest(`TaskChannel ${input.taskChannel} does not exist in this workspace`);
    const { workflowSid, queueSid } = routingOf(config, input);
    const virtualStartTime = input.virtualStartTime ?? now;
    if (virtualStartTime > now || virtualStartTime < EARLIEST_START) {
      throw badRequest('VirtualStartTime must not be in the future nor before 1900');
    }
    const task: TaskRecord = {
      sid: newSid('WT'),
      workspaceSid: ws,
      attributes,
      assignmentStatus: 'pending',
      priority: input.priority === undefined ? 0 : intInRange(input.priority, 'Priority', 0, MAX_PRIORITY),
      timeout: input.timeout === undefined ? DEFAULT_TTL : intInRange(input.timeout, 'Timeout', 1, MAX_TTL),
      taskChannelSid: channel.sid,
      workflowSid,
      taskQueueSid: null,
      taskQueueEnteredAt: null,
      virtualStartTime,
      reason: null,
      routingTarget: input.routingTarget ?? null,
      // Routing straight to a worker ignores its capacity unless told otherwise.
      ignoreCapacity: input.ignoreCapacity ?? Boolean(input.routingTarget?.startsWith('WK')),
      addons: '{}',
      target: null,
      assignmentCount: 0,
      reservationSids: [],
      pendingReservations: [],
      rejectedWorkerSids: [],
      workerSid: null,
      reservationSid: null,
      dateCreated: now,
      dateUpdated: now,
      version: 0,
    };
    const traced = recordingContext();
    if (traced !== undefined) task.traceContext = traced;
    const step = queueSid ? directStep(queueSid) : planFor(config, task, now).steps[0];
    if (step) enterStep(config, change, task, step, parseAttributes(attributes));
    if (task.target && task.routingTarget?.startsWith('WK')) routeToWorker(config, change, task, task.routingTarget, input.taskQueueSid);
    change.setTimer(ttlTimer(task.sid), now + task.timeout * 1000);
    if (workflowSid) change.emit(makeEvent('workflow.entered', config, now, workflowSid, `Task ${task.sid} entered workflow`, taskFields(task, config, now)));
    const written = change.put('task', null, task);
    emitStepEntered(config, change, null, written);
    change.emit(makeEvent('task.created', config, now, task.sid, `Task ${task.sid} created`, taskFields(written, config, now)));
    if (step && workflowSid) emitTargetMatched(config, change, written);
    // A worker free right now is reserved in the same commit. When none is, the task is committed first and looked
    // for workers after (routeTask): committing before looking is what keeps a worker freed meanwhile from missing it.
    if (isWaiting(written)) {
      const workers = await findWorkersForTask(ctx, config, written, change);
      if (workers.length > 0) return { task: recordReservations(config, change, written, workers), reserved: true };
    }
    return { task: written, reserved: false };
  });
  if (created.reserved) return created.task;
  const routed = await routeTask(ctx, ws, created.task.sid, created.task);
  return routed ?? requireTask(await ctx.store.get(ws, 'task', created.task.sid), ws, created.task.sid);
}

/** Which workflow (or queue, for tasks routed straight to one) a new task goes through. */
function routingOf(config: WorkspaceConfig, input: TaskInput): { workflowSid: string | null; queueSid: string | null } {
  const target = input.routingTarget;
  if (target?.startsWith('WQ') || (!input.workflowSid && input.taskQueueSid)) {
    const queueSid = target?.startsWith('WQ') ? target : input.taskQueueSid!;
    if (!config.queues.has(queueSid)) throw badRequest(`TaskQueue ${queueSid} does not exist in this workspace`);
    return { workflowSid: null, queueSid };
  }
  const wanted = input.workflowSid ?? (target?.startsWith('WW') ? target : undefined);
  if (wanted) {
    if (!config.workflows.has(wanted)) throw badRequest(`Workflow ${wanted} does not exist in this workspace`);
    return { workflowSid: wanted, queueSid: null };
  }
  if (config.workflows.size === 1) return { workflowSid: [...config.workflows.keys()][0]!, queueSid: null };
  throw badRequest(
    config.workflows.size === 0 ? 'The workspace has no Workflow to route the task' : 'WorkflowSid is required when the workspace has more than one Workflow',
  );
}

/** RoutingTarget WK…: only that worker may take the task, in the given queue or the planned one, with no step timeout. */
function routeToWorker(config: WorkspaceConfig, change: Change, task: TaskRecord, workerSid: string, queueSid: string | undefined): void {
  if (queueSid !== undefined && !config.queues.has(queueSid)) throw badRequest(`TaskQueue ${queueSid} does not exist in this workspace`);
  task.target = { ...task.target!, queueSid: queueSid ?? task.target!.queueSid, knownWorkerSid: workerSid, knownWorkerFriendlyName: null, timeoutAt: null };
  task.taskQueueSid = task.target.queueSid;
  change.clearTimer(stepTimer(task.sid));
}

/** A queue given directly: one step with no timeout. */
function directStep(queueSid: string): Step {
  return { filterIndex: -1, targetIndex: 0, target: { queueSid }, timeoutAt: null };
}

export async function updateTask(ctx: EngineContext, ws: string, sid: string, input: TaskInput): Promise<TaskRecord> {
  const attributes = input.attributes === undefined ? undefined : attributesJson(input.attributes);
  const outcome = await transact(ctx, ws, async (config, change) => {
    const status = input.assignmentStatus;
    // Wrapping up or completing works on the task's accepted reservation and worker: they are read along with it.
    const { record: found, linked } =
      status === 'wrapping' || status === 'completed'
        ? await readLinked(ctx.recent, ctx.store, change, ws, 'task', sid, ACCEPTED_LINKS)
        : { record: await ctx.store.get(ws, 'task', sid), linked: [] };
    const task = requireTask(found, ws, sid);
    checkIfMatch(input.ifMatch, task.version);
    const next: TaskRecord = { ...task };
    let replan = false;
    if (attributes !== undefined) {
      next.attributes = attributes;
      replan = task.assignmentStatus === 'pending';
    }
    if (input.priority !== undefined) next.priority = intInRange(input.priority, 'Priority', 0, MAX_PRIORITY);
    if (input.virtualStartTime !== undefined) {
      if (input.virtualStartTime > change.now || input.virtualStartTime < EARLIEST_START) {
        throw badRequest('VirtualStartTime must not be in the future nor before 1900');
      }
      next.virtualStartTime = input.virtualStartTime;
    }
    if (input.taskChannel !== undefined) {
      const channel = findChannel(config, input.taskChannel);
      if (!channel) throw badRequest(`TaskChannel ${input.taskChannel} does not exist in this workspace`);
      if (channel.sid !== task.taskChannelSid && task.assignmentStatus !== 'pending') {
        throw badRequest(`Cannot change the channel of task ${sid} because it is not pending`);
      }
      next.taskChannelSid = channel.sid;
      replan ||= channel.sid !== task.taskChannelSid;
    }
    if (status === undefined) {
      const written = change.put('task', task, next);
      change.emit(makeEvent('task.updated', config, change.now, sid, `Task ${sid} updated`, taskFields(written, config, change.now)));
      return { task: written, replan, freed: [] as FreedWorker[] };
    }
    return transitionTask(ctx, config, change, task, next, status, input.reason, linked as Array<ReservationRecord | WorkerRecord | null>);
  });
  if (outcome.replan) await reevaluateTask(ctx, ws, sid);
  await pullForWorkers(ctx, ws, outcome.freed);
  // Re-routing may reserve or cancel the task; otherwise what this update wrote is the answer.
  return outcome.replan ? requireTask(await ctx.store.get(ws, 'task', sid), ws, sid) : outcome.task;
}

async function transitionTask(
  ctx: EngineContext,
  config: WorkspaceConfig,
  change: Change,
  before: TaskRecord,
  next: TaskRecord,
  status: string,
  reason: string | undefined,
  /** Records read along with the task (its accepted reservation and worker). */
  known: ReadonlyArray<ReservationRecord | WorkerRecord | null>,
): Promise<{ task: TaskRecord; replan: boolean; freed: FreedWorker[] }> {
  const ws = config.workspace.sid;
  const sid = before.sid;
  const where = `task ${sid} in workspace ${ws} for account ${ctx.accountSid}`;
  const requireReason = (): string => {
    if (!reason) throw badRequest(`Reason is required when the task is ${status}`);
    return reason;
  };
  const unchanged = change.put('task', before, next);
  switch (status) {
    case 'canceled': {
      if (before.assignmentStatus !== 'pending' && before.assignmentStatus !== 'reserved') {
        throw badRequest(`Cannot cancel ${where} because it is not pending or reserved`);
      }
      const holders = await loadHolders(ctx, ws, before.pendingReservations);
      const task = cancelTask(config, change, unchanged, requireReason(), holders);
      return {
        task,
        replan: false,
        freed: freedWorkers(
          config,
          change,
          holders.reservations.map((r) => r.workerSid),
        ),
      };
    }
    case 'wrapping': {
      if (before.assignmentStatus !== 'assigned') throw badRequest(`Cannot wrap up ${where} because it is not currently assigned`);
      const holders = await loadHolders(ctx, ws, acceptedRef(before), known);
      return { task: wrapTask(config, change, unchanged, reason ?? null, holders), replan: false, freed: [] };
    }
    case 'completed': {
      if (before.assignmentStatus !== 'assigned' && before.assignmentStatus !== 'wrapping') {
        throw badRequest(`Cannot complete ${where} because it is not currently assigned`);
      }
      const holders = await loadHolders(ctx, ws, acceptedRef(before), known);
      const task = completeTask(config, change, unchanged, requireReason(), holders);
      return { task, replan: false, freed: freedWorkers(config, change, before.workerSid ? [before.workerSid] : []) };
    }
    default:
      throw badRequest(`AssignmentStatus ${status} is not a valid update: use canceled, wrapping or completed`);
  }
}

export async function deleteTask(ctx: EngineContext, ws: string, sid: string, ifMatch?: string): Promise<void> {
  await removeTask(ctx, ws, sid, { ifMatch, eventType: 'task.deleted' });
}

/**
 * Removes a task with its reservations, freeing the capacity live ones hold: a DELETE (task.deleted), the system
 * removing a task assigned too long (task.system-deleted), or the quiet cleanup of ended tasks (no event). `when`
 * re-checks, at removal, that the task is still in the state that called for it.
 */
export async function removeTask(
  ctx: EngineContext,
  ws: string,
  sid: string,
  options: { ifMatch?: string; eventType: 'task.deleted' | 'task.system-deleted' | null; when?: (task: TaskRecord) => boolean },
): Promise<void> {
  const freed = await transact(ctx, ws, async (config, change) => {
    for (const t of [ttlTimer(sid), stepTimer(sid), cleanupTimer(sid), assignedTimer(sid)]) change.clearTimer(t);
    const found = await ctx.store.get(ws, 'task', sid);
    if (options.when && (!found || !options.when(found))) return [] as FreedWorker[];
    const task = requireTask(found, ws, sid);
    checkIfMatch(options.ifMatch, task.version);
    const reservations = (await ctx.store.getMany(ws, 'reservation', task.reservationSids)).filter((r): r is ReservationRecord => r !== null);
    const live = reservations.filter((r) => ['pending', 'accepted', 'wrapping'].includes(r.status));
    const holders = await loadHolders(ctx, ws, live, live);
    for (const r of holders.reservations) {
      const worker = holders.workers.get(r.workerSid);
      if (!worker) continue;
      const w = change.put('worker', worker, withTaskCount(worker, r.taskChannelSid, -1, change.now));
      holders.workers.set(w.sid, w);
    }
    for (const r of reservations) deleteReservation(change, r);
    change.delete('task', task);
    if (options.eventType) change.emit(makeEvent(options.eventType, config, change.now, sid, `Task ${sid} deleted`, taskFields(task, config, change.now)));
    return freedWorkers(
      config,
      change,
      holders.reservations.map((r) => r.workerSid),
    );
  });
  await pullForWorkers(ctx, ws, freed);
}

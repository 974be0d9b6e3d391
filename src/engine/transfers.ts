import { badRequest, notFound } from '../core/errors.js';
import type { EventType } from '../core/events/index.js';
import type { ReservationRecord, TaskRecord, TaskTransfer, TransferMode, WorkerRecord } from '../core/model.js';
import { newSid } from '../core/sid.js';
import { attributesJson, intInRange, oneOf, requireParam } from '../core/validate.js';
import type { Change } from './change.js';
import type { TransferInput } from './commands.js';
import { transact, type EngineContext } from './context.js';
import { idleIndex } from './derived/schema.js';
import { joinFields, makeEvent, reservationCreatedEvent, taskFields, transferFields } from './events.js';
import { assignedTimer, assignmentActivity, loadHolder, RESERVATION_LINKS, setReservationStatus } from './lifecycle.js';
import { freedWorkers, pullForWorkers, type FreedWorker } from './matching.js';
import { reevaluateTask } from './placement.js';
import { reservationTimer } from './task-state.js';
import { MAX_PRIORITY } from './tasks.js';
import { canTakeTask, withTaskCount } from './worker-state.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * Transfers (TaskRouter's API v2): the worker holding an assigned task hands it to a named worker or to a queue. The
 * same task is offered to the target, one reservation at a time and whatever its workflow says; the initiator keeps
 * the task until the target accepts (WARM: still talking to the customer; COLD: wrapping up at once). A named
 * worker's refusal fails the transfer; a queue's refusals are failed attempts, and its next eligible worker is
 * offered the task until none is left.
 */

/** Seconds a transfer offer waits for an answer when the task has no workflow to say. */
const DEFAULT_OFFER_SECONDS = 120;
/** Workers of a target queue looked at for the next offer. */
const QUEUE_WINDOW = 50;

/** The event each way a transfer moves raises. */
const TRANSFER_EVENT = {
  initiated: 'task.transfer-initiated',
  attempt: 'task.transfer-attempt-failed',
  complete: 'task.transfer-completed',
  failed: 'task.transfer-failed',
  canceled: 'task.transfer-canceled',
} as const satisfies Record<string, EventType>;

/** What a transfer call answers with: the transfer as it stands, and its task. */
export interface TransferView {
  transfer: TaskTransfer;
  taskSid: string;
}

/** Starts a transfer of the task `workerSid` holds through `input.reservationSid`. */
export async function transferTask(ctx: EngineContext, ws: string, workerSid: string, input: TransferInput): Promise<TransferView> {
  const reservationSid = requireParam(input.reservationSid, 'ReservationSid');
  const taskSid = requireParam(input.taskSid, 'TaskSid');
  const to = requireParam(input.to, 'To');
  const mode: TransferMode = input.mode === undefined ? 'WARM' : oneOf(input.mode.toUpperCase(), 'Mode', ['WARM', 'COLD'] as const);
  const attributes = input.attributes === undefined ? undefined : attributesJson(input.attributes);
  const priority = input.priority === undefined ? undefined : intInRange(input.priority, 'Priority', 0, MAX_PRIORITY);
  const started = await transact(ctx, ws, async (config, change) => {
    const { record: reservation, linked } = await ctx.store.getLinked(ws, 'reservation', reservationSid, RESERVATION_LINKS);
    if (!reservation || reservation.workerSid !== workerSid) {
      throw notFound(`The requested resource /Workspaces/${ws}/Workers/${workerSid}/Reservations/${reservationSid} was not found`);
    }
    const [task, initiator] = linked as [TaskRecord | null, WorkerRecord | null];
    if (!task || task.sid !== taskSid) throw badRequest(`Reservation ${reservationSid} is not a reservation of task ${taskSid}`);
    if (reservation.status !== 'accepted' || task.assignmentStatus !== 'assigned' || task.reservationSid !== reservation.sid) {
      throw badRequest(`Task ${taskSid} can be transferred only by the worker who accepted it: reservation ${reservationSid} is ${reservation.status}`);
    }
    if (task.transfer?.status === 'initiated') throw badRequest(`Task ${taskSid} has a transfer under way already: ${task.transfer.sid}`);
    const type = await checkTarget(ctx, config, to, workerSid);
    const transfer: TaskTransfer = {
      sid: newSid('TT'),
      mode,
      type,
      to,
      status: 'initiated',
      initiatingReservationSid: reservation.sid,
      initiatingWorkerSid: workerSid,
      initiatingQueueSid: reservation.taskQueueSid,
      initiatingWorkflowSid: reservation.workflowSid,
      offerSid: null,
      refusedWorkerSids: [],
      failedReason: null,
      dateCreated: change.now,
      dateUpdated: change.now,
    };
    const next: TaskRecord = { ...task, transfer, attributes: attributes ?? task.attributes, priority: priority ?? task.priority };
    emitTransfer(config, change, 'initiated', next);
    // The agent is done with the customer at once in a cold transfer; in a warm one they stay on (consultation).
    if (mode === 'COLD') setReservationStatus(config, change, next, reservation, 'wrapping', await loadHolder(ctx, ws, reservation, initiator));
    const written = await offerTransfer(ctx, config, change, task, next);
    return { transfer: written.transfer!, taskSid, reevaluate: written.assignmentStatus === 'pending' };
  });
  // A cold transfer no one could be offered sent the task back through its workflow.
  if (started.reevaluate) await reevaluateTask(ctx, ws, taskSid);
  return { transfer: started.transfer, taskSid };
}

/** 'WORKER' or 'QUEUE', once `to` names a worker or queue of this workspace other than the initiator. */
async function checkTarget(ctx: EngineContext, config: WorkspaceConfig, to: string, initiatorSid: string): Promise<TaskTransfer['type']> {
  const ws = config.workspace.sid;
  if (to.startsWith('WQ')) {
    if (!config.queues.has(to)) throw notFound(`The requested resource /Workspaces/${ws}/TaskQueues/${to} was not found`);
    return 'QUEUE';
  }
  if (!to.startsWith('WK')) throw badRequest(`To must be a Worker (WK…) or a TaskQueue (WQ…) sid, got '${to}'`);
  if (to === initiatorSid) throw badRequest('A worker cannot transfer a task to itself');
  if (!(await ctx.store.get(ws, 'worker', to))) throw notFound(`The requested resource /Workspaces/${ws}/Workers/${to}/ was not found`);
  return 'WORKER';
}

/**
 * Offers the task (`next`, as the change has it so far; `task` as read) to the transfer's next target; when there is
 * none, the transfer fails. Returns the task as written.
 */
async function offerTransfer(ctx: EngineContext, config: WorkspaceConfig, change: Change, task: TaskRecord, next: TaskRecord): Promise<TaskRecord> {
  const transfer = next.transfer!;
  const worker = await nextTarget(ctx, config, next, transfer);
  if (!worker) {
    const reason = transfer.type === 'QUEUE' ? `No worker of queue ${transfer.to} took the task` : `Worker ${transfer.to} is not available`;
    return endTransfer(config, change, task, next, 'failed', reason);
  }
  const workflow = next.workflowSid ? config.workflows.get(next.workflowSid) : undefined;
  const now = change.now;
  const reservation = change.put('reservation', null, {
    sid: newSid('WR'),
    workspaceSid: config.workspace.sid,
    taskSid: next.sid,
    workerSid: worker.sid,
    workerName: worker.friendlyName,
    taskQueueSid: transfer.type === 'QUEUE' ? transfer.to : transfer.initiatingQueueSid,
    workflowSid: next.workflowSid,
    taskChannelSid: next.taskChannelSid,
    status: 'pending',
    timeoutAt: now + (workflow?.taskReservationTimeout ?? DEFAULT_OFFER_SECONDS) * 1000,
    instruction: null,
    transferSid: transfer.sid,
    dateCreated: now,
    dateUpdated: now,
    version: 0,
  });
  const holder = change.put('worker', worker, withTaskCount(worker, next.taskChannelSid, 1, now));
  change.setTimer(reservationTimer(reservation.sid), reservation.timeoutAt);
  const written = change.put('task', task, {
    ...next,
    reservationSids: [...next.reservationSids, reservation.sid],
    transfer: { ...transfer, offerSid: reservation.sid, dateUpdated: now },
  });
  const description = `Task ${next.sid} offered to worker ${worker.friendlyName} by transfer ${transfer.sid}`;
  change.emit(reservationCreatedEvent(config, now, written, holder, reservation, description));
  return written;
}

/** The worker the transfer offers the task to next: the named one, once; else the queue's next eligible worker. */
async function nextTarget(ctx: EngineContext, config: WorkspaceConfig, task: TaskRecord, transfer: TaskTransfer): Promise<WorkerRecord | null> {
  const ws = config.workspace.sid;
  if (transfer.type === 'WORKER') {
    return transfer.refusedWorkerSids.length > 0 ? null : ctx.store.get(ws, 'worker', transfer.to);
  }
  const window = await ctx.store.rangeIndexRecords(ws, idleIndex(transfer.to, task.taskChannelSid), 'worker', QUEUE_WINDOW);
  const fits = (worker: WorkerRecord | null): worker is WorkerRecord =>
    worker !== null &&
    worker.sid !== transfer.initiatingWorkerSid &&
    !transfer.refusedWorkerSids.includes(worker.sid) &&
    worker.queueSids.includes(transfer.to) &&
    canTakeTask(worker, task.taskChannelSid, config);
  return window.map((entry) => entry.record).find(fits) ?? null;
}

/** Ends the transfer (`next.transfer`) as `status`; returns the task as written. */
function endTransfer(
  config: WorkspaceConfig,
  change: Change,
  task: TaskRecord,
  next: TaskRecord,
  status: 'complete' | 'failed' | 'canceled',
  failedReason: string | null = null,
): TaskRecord {
  const transfer: TaskTransfer = { ...next.transfer!, status, offerSid: null, failedReason, dateUpdated: change.now };
  let ended: TaskRecord = { ...next, transfer };
  // A cold transfer's initiator has let the customer go: a task no one took goes back through its workflow.
  if (status === 'failed' && transfer.mode === 'COLD') {
    const rejectedWorkerSids = [...new Set([...next.rejectedWorkerSids, ...transfer.refusedWorkerSids])];
    ended = { ...ended, assignmentStatus: 'pending', workerSid: null, reservationSid: null, rejectedWorkerSids };
    change.clearTimer(assignedTimer(task.sid));
  }
  const written = change.put('task', task, ended);
  emitTransfer(config, change, status, written);
  return written;
}

function emitTransfer(config: WorkspaceConfig, change: Change, moved: keyof typeof TRANSFER_EVENT, task: TaskRecord): void {
  const transfer = task.transfer!;
  change.emit(
    makeEvent(
      TRANSFER_EVENT[moved],
      config,
      change.now,
      task.sid,
      `Task ${task.sid} transfer ${transfer.sid} ${moved}`,
      joinFields(taskFields(task, config, change.now), transferFields(transfer)),
    ),
  );
}

/** What answering a transfer offer leads to: the offer as written, and workers whose capacity was freed. */
export interface OfferOutcome {
  reservation: ReservationRecord;
  freed: FreedWorker[];
  /** A failed cold transfer sent the task back through its workflow. */
  reevaluate: boolean;
}

/** Whether `reservation` is the live offer of a transfer of `task`. */
export function isTransferOffer(task: TaskRecord, reservation: ReservationRecord): boolean {
  return reservation.transferSid !== undefined && task.transfer?.status === 'initiated' && task.transfer.offerSid === reservation.sid;
}

/**
 * The target answered a transfer offer (`reservation`, pending): accepting it makes the task theirs and completes
 * the transfer; refusing it (rejected, timeout) fails the transfer, or for a queue, offers the task to the queue's
 * next worker.
 */
export async function answerTransferOffer(
  ctx: EngineContext,
  config: WorkspaceConfig,
  change: Change,
  task: TaskRecord,
  reservation: ReservationRecord,
  answer: 'accepted' | 'rejected' | 'timeout',
  worker: WorkerRecord | null,
  activitySid: string | null = null,
): Promise<OfferOutcome> {
  const holders = await loadHolder(ctx, config.workspace.sid, reservation, worker);
  if (answer === 'accepted') {
    if (task.assignmentStatus !== 'assigned') {
      throw badRequest(`Task ${task.sid} is ${task.assignmentStatus}: its transfer cannot be accepted any more`);
    }
    const next: TaskRecord = { ...task, workerSid: reservation.workerSid, reservationSid: reservation.sid };
    setReservationStatus(config, change, next, reservation, 'accepted', holders, assignmentActivity(config, reservation));
    endTransfer(config, change, task, next, 'complete');
    return { reservation: change.written('reservation', reservation.sid)!, freed: [], reevaluate: false };
  }
  setReservationStatus(config, change, task, reservation, answer, holders, activitySid);
  const transfer: TaskTransfer = { ...task.transfer!, refusedWorkerSids: [...task.transfer!.refusedWorkerSids, reservation.workerSid] };
  let next: TaskRecord = { ...task, transfer };
  if (transfer.type === 'QUEUE') {
    next = change.put('task', task, next);
    emitTransfer(config, change, 'attempt', next);
  }
  const written = await offerTransfer(ctx, config, change, task, next);
  return {
    reservation: change.written('reservation', reservation.sid)!,
    freed: freedWorkers(config, change, [reservation.workerSid]),
    reevaluate: written.assignmentStatus === 'pending',
  };
}

/**
 * Whether a reservation's worker no longer holds its task: a transfer gave the task to someone else, or a cold
 * transfer is under way from it. Wrapping up or completing such a reservation ends only the reservation.
 */
export function isLeftBehind(task: TaskRecord, reservation: ReservationRecord): boolean {
  if (task.reservationSid !== null && task.reservationSid !== reservation.sid) return true;
  const transfer = task.transfer;
  return transfer?.status === 'initiated' && transfer.mode === 'COLD' && transfer.initiatingReservationSid === reservation.sid;
}

/** The initiator takes a transfer back before the target accepts: the offer is rescinded, the transfer canceled. */
export async function cancelTransfer(
  ctx: EngineContext,
  ws: string,
  workerSid: string,
  transferSid: string,
  taskSid: string | undefined,
): Promise<TransferView> {
  const sid = requireParam(taskSid, 'TaskSid');
  const freed = await transact(ctx, ws, async (config, change) => {
    const task = await ctx.store.get(ws, 'task', sid);
    const transfer = task?.transfer;
    if (!task || !transfer || transfer.sid !== transferSid || transfer.initiatingWorkerSid !== workerSid) {
      throw notFound(`The requested resource /Workspaces/${ws}/Workers/${workerSid}/Transfers/${transferSid} was not found`);
    }
    if (transfer.status !== 'initiated') throw badRequest(`Transfer ${transferSid} is ${transfer.status} and cannot be canceled`);
    const offer = transfer.offerSid ? await ctx.store.get(ws, 'reservation', transfer.offerSid) : null;
    if (offer?.status === 'pending') setReservationStatus(config, change, task, offer, 'rescinded', await loadHolder(ctx, ws, offer));
    const written = endTransfer(config, change, task, task, 'canceled');
    return { view: { transfer: written.transfer!, taskSid: sid }, freed: offer ? freedWorkers(config, change, [offer.workerSid]) : [] };
  });
  await pullForWorkers(ctx, ws, freed.freed);
  return freed.view;
}

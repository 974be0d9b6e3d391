import { badRequest, notFound } from '../core/errors.js';
import type { ReservationRecord, TaskRecord, WorkerRecord } from '../core/model.js';
import type { Change } from './change.js';
import type { ReservationInput } from './commands.js';
import { transact, type EngineContext } from './context.js';
import {
  acceptReservation,
  completeTask,
  loadHolder,
  loadHolders,
  releaseReservation,
  RESERVATION_LINKS,
  setReservationStatus,
  wrapTask,
} from './lifecycle.js';
import { freedWorkers, pullForWorkers, type FreedWorker } from './matching.js';
import { reevaluateTask } from './placement.js';
import { readLinked } from './recent-writes.js';
import { checkIfMatch } from './tasks.js';
import type { TelephonyInstruction } from './telephony-port.js';
import { answerTransferOffer, isLeftBehind, isTransferOffer } from './transfers.js';
import type { WorkspaceConfig } from './workspace-config.js';

const INSTRUCTIONS = ['dequeue', 'call', 'redirect', 'conference', 'supervise'] as const;
type Instruction = (typeof INSTRUCTIONS)[number];

/** Parameters each instruction cannot do without (TaskRouter's required ones). */
const REQUIRED: Record<Instruction, string[]> = {
  dequeue: [],
  call: ['CallFrom', 'CallUrl'],
  redirect: ['RedirectCallSid', 'RedirectUrl'],
  conference: [],
  supervise: ['Supervisor'],
};

interface Outcome {
  reservation: ReservationRecord;
  /** Workers whose capacity was freed: they look for work next. */
  freed: FreedWorker[];
  /** The task waits again and goes back through its workflow. */
  reevaluate: boolean;
}

/** Whose path a reservation was reached through: /Tasks/{WT}/Reservations or /Workers/{WK}/Reservations. */
export interface ReservationOwner {
  taskSid?: string;
  workerSid?: string;
}

/** Updates a reservation reached through its task or its worker. */
export async function updateReservation(
  ctx: EngineContext,
  ws: string,
  owner: ReservationOwner,
  sid: string,
  input: ReservationInput,
): Promise<ReservationRecord> {
  if (input.instruction !== undefined) return runInstruction(ctx, ws, owner, sid, input);
  const status = input.reservationStatus;
  if (status === undefined) throw badRequest('ReservationStatus or Instruction is required');
  const outcome = await transact(ctx, ws, async (config, change) => {
    const { reservation, task, worker } = await load(ctx, ws, owner, sid, change);
    checkIfMatch(input.ifMatch, reservation.version);
    return applyStatus(ctx, config, change, task, reservation, status, input.workerActivitySid, worker);
  });
  await followUp(ctx, ws, outcome);
  // Follow-up routing never changes this reservation again: the one this update wrote is the answer.
  return outcome.reservation;
}

async function followUp(ctx: EngineContext, ws: string, outcome: Outcome): Promise<void> {
  if (outcome.reevaluate) await reevaluateTask(ctx, ws, outcome.reservation.taskSid);
  await pullForWorkers(ctx, ws, outcome.freed);
}

/** The reservation with its task and worker; as `change`'s commit last kept them when it may (recent-writes.ts). */
async function load(ctx: EngineContext, ws: string, owner: ReservationOwner, sid: string, change?: Change) {
  const { record: reservation, linked } = change
    ? await readLinked(ctx.recent, ctx.store, change, ws, 'reservation', sid, RESERVATION_LINKS)
    : await ctx.store.getLinked(ws, 'reservation', sid, RESERVATION_LINKS);
  const path = owner.taskSid ? `Tasks/${owner.taskSid}` : `Workers/${owner.workerSid}`;
  if (
    !reservation ||
    (owner.taskSid !== undefined && reservation.taskSid !== owner.taskSid) ||
    (owner.workerSid !== undefined && reservation.workerSid !== owner.workerSid)
  ) {
    throw notFound(`The requested resource /Workspaces/${ws}/${path}/Reservations/${sid} was not found`);
  }
  const [task, worker] = linked as [TaskRecord | null, WorkerRecord | null];
  if (!task) throw notFound(`The requested resource /Workspaces/${ws}/Tasks/${reservation.taskSid} was not found`);
  return { reservation, task, worker };
}

function notFrom(reservation: ReservationRecord, status: string): never {
  throw badRequest(`Reservation ${reservation.sid} is already in state [${reservation.status}] and cannot be updated to [${status}]`);
}

/** Applies a ReservationStatus change within `change`. */
export async function applyStatus(
  ctx: EngineContext,
  config: WorkspaceConfig,
  change: Change,
  task: TaskRecord,
  reservation: ReservationRecord,
  status: string,
  workerActivitySid?: string,
  /** The reservation's worker, when read along with it. */
  worker: WorkerRecord | null = null,
): Promise<Outcome> {
  const ws = config.workspace.sid;
  switch (status) {
    case 'accepted': {
      if (reservation.status !== 'pending') notFrom(reservation, status);
      if (isTransferOffer(task, reservation)) return answerTransferOffer(ctx, config, change, task, reservation, 'accepted', worker);
      const holders = await loadHolders(ctx, ws, task.pendingReservations, [reservation, worker]);
      acceptReservation(config, change, task, reservation, holders);
      const freed = holders.reservations.filter((r) => r.sid !== reservation.sid).map((r) => r.workerSid);
      return { reservation: written(change, reservation), freed: freedWorkers(config, change, freed), reevaluate: false };
    }
    case 'rejected': {
      if (reservation.status !== 'pending') notFrom(reservation, status);
      if (workerActivitySid !== undefined && !config.activities.has(workerActivitySid)) {
        throw badRequest(`WorkerActivitySid ${workerActivitySid} is not an Activity of this workspace`);
      }
      if (isTransferOffer(task, reservation)) {
        return answerTransferOffer(ctx, config, change, task, reservation, 'rejected', worker, workerActivitySid ?? null);
      }
      const holders = await loadHolder(ctx, ws, reservation, worker);
      const next = releaseReservation(config, change, task, reservation, 'rejected', holders, workerActivitySid ?? null);
      const freed = freedWorkers(config, change, [reservation.workerSid]);
      return { reservation: written(change, reservation), freed, reevaluate: next.assignmentStatus === 'pending' };
    }
    case 'wrapping': {
      if (reservation.status !== 'accepted') notFrom(reservation, status);
      if (isLeftBehind(task, reservation)) {
        setReservationStatus(config, change, task, reservation, 'wrapping', await loadHolder(ctx, ws, reservation, worker));
        return { reservation: written(change, reservation), freed: [], reevaluate: false };
      }
      if (task.assignmentStatus !== 'assigned') notFrom(reservation, status);
      wrapTask(config, change, task, null, await loadHolder(ctx, ws, reservation, worker));
      return { reservation: written(change, reservation), freed: [], reevaluate: false };
    }
    case 'completed': {
      if (reservation.status !== 'accepted' && reservation.status !== 'wrapping') notFrom(reservation, status);
      if (isLeftBehind(task, reservation)) {
        setReservationStatus(config, change, task, reservation, 'completed', await loadHolder(ctx, ws, reservation, worker));
        return { reservation: written(change, reservation), freed: freedWorkers(config, change, [reservation.workerSid]), reevaluate: false };
      }
      completeTask(config, change, task, 'Reservation completed', await loadHolder(ctx, ws, reservation, worker));
      return { reservation: written(change, reservation), freed: freedWorkers(config, change, [reservation.workerSid]), reevaluate: false };
    }
    default:
      throw badRequest(`ReservationStatus ${status} is not a valid update: use accepted, rejected, wrapping or completed`);
  }
}

/** The reservation as the change writes it. */
function written(change: Change, reservation: ReservationRecord): ReservationRecord {
  return change.written('reservation', reservation.sid) ?? reservation;
}

/**
 * Carries out an instruction through the telephony connector. Everything is checked first; without a connector, or
 * when the connector fails, nothing changes.
 */
async function runInstruction(ctx: EngineContext, ws: string, owner: ReservationOwner, sid: string, input: ReservationInput): Promise<ReservationRecord> {
  const instruction = input.instruction!;
  if (!(INSTRUCTIONS as readonly string[]).includes(instruction)) {
    throw badRequest(`Instruction ${instruction} is not supported: use ${INSTRUCTIONS.join(', ')}, or ReservationStatus to accept or reject`);
  }
  const params = input.instructionParams ?? {};
  for (const name of REQUIRED[instruction as Instruction]) {
    if (params[name] === undefined || params[name] === '') throw badRequest(`${name} is required for the ${instruction} instruction`);
  }
  if (instruction === 'supervise' && !owner.taskSid) throw badRequest("The supervise instruction is only available on a task's reservation");
  const { reservation, task, worker } = await load(ctx, ws, owner, sid);
  checkIfMatch(input.ifMatch, reservation.version);
  const allowed = instruction === 'supervise' ? ['accepted', 'wrapping'] : ['pending'];
  if (!allowed.includes(reservation.status)) {
    throw badRequest(`Cannot run the ${instruction} instruction: reservation ${sid} is ${reservation.status}`, instruction === 'call' ? 40114 : 40136);
  }
  if (!ctx.telephony) {
    throw badRequest(`The ${instruction} instruction needs a telephony connector, and none is configured on this server`);
  }
  const request: TelephonyInstruction = { instruction: instruction as Instruction, params, workspaceSid: ws, reservation, task, worker: worker! };
  const { acceptNow } = await ctx.telephony.execute(request);
  const outcome = await transact(ctx, ws, async (config, change) => {
    const current = await load(ctx, ws, owner, sid);
    const recorded = change.put('reservation', current.reservation, { ...current.reservation, instruction: { instruction, ...params } });
    if (acceptNow && current.reservation.status === 'pending') {
      return applyStatus(ctx, config, change, current.task, recorded, 'accepted', undefined, current.worker);
    }
    return { reservation: recorded, freed: [], reevaluate: false };
  });
  await followUp(ctx, ws, outcome);
  // Follow-up routing never changes this reservation again: the one this update wrote is the answer.
  return outcome.reservation;
}

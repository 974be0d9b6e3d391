import { badRequest } from '../../core/errors.js';
import type { ReservationRecord, TaskRecord } from '../../core/model.js';
import { agentLegOf } from '../agent-legs.js';
import { attributesOf } from '../task-attributes.js';
import { twilioRest } from '../twilio/rest-failure.js';
import type { TelephonyDeps } from './telephony-deps.js';

/** Reservations whose worker is (or was just) on the task's call. */
const ON_THE_CALL = new Set(['accepted', 'wrapping', 'completed']);

/**
 * The conference a task's call is in: the task's caller and agent met in a `<Conference>` named after the task
 * (conference-agent.ts), so it is found by that name among the conferences in progress. A task whose call was not
 * connected through the `conference` instruction, or whose conference has ended, has none: a 400 says which.
 */
export async function taskConference(deps: TelephonyDeps, workspaceSid: string, task: TaskRecord): Promise<string> {
  const reservations = await deps.engine.reservationsOf(workspaceSid, { task });
  // A supervisor's monitoring is recorded over the conference instruction, and is only given on a conference task.
  if (!reservations.some((r) => r.instruction?.instruction === 'conference' || r.instruction?.instruction === 'supervise')) {
    throw badRequest(`Task ${task.sid} was not connected through the conference instruction: it has no conference to act on`);
  }
  const [room] = await twilioRest('find the task\u2019s conference', () =>
    deps.client.conferences.list({ friendlyName: task.sid, status: 'in-progress', limit: 1 }),
  );
  if (!room) throw badRequest(`Task ${task.sid} has no conference in progress`);
  return room.sid;
}

/**
 * The call of `workerSid`'s leg in the task's conference: the agent leg kept for the worker's reservation of the
 * task, else, for the worker the task is assigned to, the task's `worker_call_sid`. A 400 when the worker has none.
 */
export async function workerLeg(deps: TelephonyDeps, workspaceSid: string, task: TaskRecord, workerSid: string): Promise<string> {
  const reservations = await deps.engine.reservationsOf(workspaceSid, { task });
  const reservation = reservations.find((r) => r.workerSid === workerSid && ON_THE_CALL.has(r.status));
  const leg = reservation && (await reservationLeg(deps, task, reservation));
  if (!leg) throw badRequest(`Worker ${workerSid} has no leg in the conference of task ${task.sid}`);
  return leg;
}

/** The call of a reservation's leg in its task's conference, if it has one. */
export async function reservationLeg(deps: TelephonyDeps, task: TaskRecord, reservation: ReservationRecord): Promise<string | null> {
  const kept = await agentLegOf(deps.state, reservation.sid);
  if (kept) return kept;
  const workerCall = attributesOf(task).worker_call_sid;
  return reservation.status !== 'pending' && typeof workerCall === 'string' && workerCall !== '' ? workerCall : null;
}

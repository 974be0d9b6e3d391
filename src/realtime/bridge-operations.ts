import { ACTIVE_RESERVATION_STATUSES, holdsReservation } from '../access/reservation-holders.js';
import type { TokenScope } from '../access/token-scope.js';
import { wireContext, type ApiContext } from '../api/context.js';
import { findTasks } from '../api/lists/task-list.js';
import { findWorkers } from '../api/lists/worker-list.js';
import { reservationUpdateInput, taskCreateInput, taskUpdateInput, workerUpdateInput } from '../api/wire/commands.js';
import { TwilioParams } from '../api/wire/params.js';
import { badRequest, forbidden, notFound } from '../core/errors.js';
import type { ReservationRecord, TaskRecord } from '../core/model.js';
import type { ConferenceControls, ParticipantHold } from '../engine/telephony-port.js';
import { bridgePage } from './bridge-lists.js';
import type { BridgeRequest } from './bridge-request.js';
import { activityPayload, reservationPayload, taskPayload, taskQueuePayload, transferPayload, workerChannelPayload, workerPayload } from './sdk-payloads.js';

/** What an operation gets: the request, the scope its token grants, and the path's sids by name. */
export interface BridgeCall {
  api: ApiContext;
  scope: TokenScope;
  request: BridgeRequest;
  ifMatch: string | undefined;
  /** `ws`, `wk`, `wt`, `wr`: the sids in the request's path. */
  at: Record<string, string>;
  /** The worker's bootstrap has been answered: its sessions may be sent what was held for them. */
  bootstrapped: (workspaceSid: string, workerSid: string) => void;
  /** The voice connector's controls of tasks' conferences; null without a connector placing calls. */
  conferences: ConferenceControls | null;
}

interface Operation {
  method: 'GET' | 'POST';
  pattern: string[];
  run: (call: BridgeCall) => Promise<unknown>;
}

const operations: Operation[] = [];
function on(method: 'GET' | 'POST', pattern: string, run: (call: BridgeCall) => Promise<unknown>): void {
  operations.push({ method, pattern: pattern.split('/'), run });
}

/** The operation for a request's method and path, with the path's sids; null when the SDK has no such call. */
export function bridgeOperation(request: BridgeRequest): { run: Operation['run']; at: Record<string, string> } | null {
  for (const op of operations) {
    if (op.method !== request.method || op.pattern.length !== request.path.length) continue;
    const at: Record<string, string> = {};
    const fits = op.pattern.every((part, i) => {
      const segment = request.path[i]!;
      if (part.startsWith(':')) at[part.slice(1)] = segment;
      return part.startsWith(':') || part === segment;
    });
    if (fits) return { run: op.run, at };
  }
  return null;
}

// The calls of the SDK's Worker (its own worker, activities, channels, reservations, tasks), Supervisor and
// Workspace, as its Routes name them. Every operation checks its token's scope before it reads or changes anything.

on('GET', 'Workspaces/:ws/Activities', async ({ api, scope, request, at }) => {
  scope.workspace(at.ws!);
  const ctx = await wireContext(api, at.ws!);
  return bridgePage([...ctx.config.activities.values()], request.params, (a) => activityPayload(a, ctx));
});

on('GET', 'Workspaces/:ws/Workers/:wk', async ({ api, scope, at }) => {
  scope.worker(at.ws!, at.wk!);
  const ctx = await wireContext(api, at.ws!);
  return workerPayload(await existing(api, at.ws!, 'worker', at.wk!), ctx);
});

on('POST', 'Workspaces/:ws/Workers/:wk', async ({ api, scope, request, ifMatch, at }) => {
  scope.worker(at.ws!, at.wk!);
  const input = workerUpdateInput(request.params, ifMatch);
  await wireContext(api, at.ws!);
  const worker = await api.engine.updateWorker(at.ws!, at.wk!, input);
  return workerPayload(worker, await wireContext(api, at.ws!));
});

on('GET', 'Workspaces/:ws/Workers/:wk/WorkerChannels', async ({ api, scope, request, at }) => {
  scope.worker(at.ws!, at.wk!);
  const ctx = await wireContext(api, at.ws!);
  const worker = await existing(api, at.ws!, 'worker', at.wk!);
  return bridgePage(ctx.config.channels, request.params, (channel) => workerChannelPayload(worker, channel, ctx));
});

// The last call of the SDK's bootstrap.
on('GET', 'Workspaces/:ws/Workers/:wk/Reservations', async ({ api, scope, request, at, bootstrapped }) => {
  scope.worker(at.ws!, at.wk!);
  const ctx = await wireContext(api, at.ws!);
  await existing(api, at.ws!, 'worker', at.wk!);
  const active = request.params.bool('Active');
  const status = request.params.string('ReservationStatus');
  const reservations = (await api.engine.reservationsOf(at.ws!, { workerSid: at.wk! })).filter(
    (r) => (!active || ACTIVE_RESERVATION_STATUSES.has(r.status)) && (status === undefined || r.status === status),
  );
  const tasks = await tasksOf(api, at.ws!, reservations);
  const page = bridgePage(reservations, request.params, (r) => reservationPayload(r, tasks.get(r.taskSid) ?? null, ctx));
  if (active && page.after_sid === null) bootstrapped(at.ws!, at.wk!);
  return page;
});

on('GET', 'Workspaces/:ws/Workers/:wk/Reservations/:wr', async ({ api, scope, at }) => {
  scope.worker(at.ws!, at.wk!);
  const ctx = await wireContext(api, at.ws!);
  const reservation = await workersReservation(api, at);
  return reservationPayload(reservation, await api.engine.store.get(at.ws!, 'task', reservation.taskSid), ctx);
});

on('POST', 'Workspaces/:ws/Workers/:wk/Reservations/:wr', async ({ api, scope, request, ifMatch, at }) => {
  scope.worker(at.ws!, at.wk!);
  const input = reservationUpdateInput(request.params, ifMatch);
  await workersReservation(api, at);
  const reservation = await api.engine.updateReservation(at.ws!, { workerSid: at.wk! }, at.wr!, input);
  const ctx = await wireContext(api, at.ws!);
  return reservationPayload(reservation, await api.engine.store.get(at.ws!, 'task', reservation.taskSid), ctx, false);
});

on('GET', 'Workspaces/:ws/Tasks/:wt', async ({ api, scope, at }) => {
  await scope.task(at.ws!, at.wt!, (workerSid) => holdsReservation(api.engine, at.ws!, at.wt!, workerSid));
  const ctx = await wireContext(api, at.ws!);
  return taskPayload(await existing(api, at.ws!, 'task', at.wt!), ctx);
});

on('POST', 'Workspaces/:ws/Tasks/:wt', async ({ api, scope, request, ifMatch, at }) => {
  await scope.task(at.ws!, at.wt!, (workerSid) => holdsReservation(api.engine, at.ws!, at.wt!, workerSid));
  const input = taskUpdateInput(request.params, ifMatch);
  await wireContext(api, at.ws!);
  const task = await api.engine.updateTask(at.ws!, at.wt!, input);
  return taskPayload(task, await wireContext(api, at.ws!));
});

// Worker.createTask: outbound work routed to the worker itself. A worker token may route work to no one else.
on('POST', 'Workspaces/:ws/Tasks', async ({ api, scope, request, at }) => {
  scope.workspace(at.ws!);
  const { TaskChannelUniqueName, TaskChannelSid, ...form } = request.form;
  const channel = form.TaskChannel ?? TaskChannelUniqueName ?? TaskChannelSid;
  const params = new TwilioParams(channel === undefined ? form : { ...form, TaskChannel: channel });
  const input = taskCreateInput(params);
  if (!scope.isAdmin && input.routingTarget !== scope.workerSid) throw forbidden('A worker token may create only tasks routed to its own worker');
  await wireContext(api, at.ws!);
  const task = await api.engine.createTask(at.ws!, input);
  return taskPayload(task, await wireContext(api, at.ws!));
});

// Task.transfer and OutgoingTransfer.cancel (API v2): a worker transfers a task it holds, through its own path.

on('POST', 'Workspaces/:ws/Workers/:wk/Transfers', async ({ api, scope, request, at }) => {
  scope.worker(at.ws!, at.wk!);
  await wireContext(api, at.ws!);
  const params = request.params;
  const { transfer, taskSid } = await api.engine.transferTask(at.ws!, at.wk!, {
    reservationSid: params.string('ReservationSid'),
    taskSid: params.string('TaskSid'),
    to: params.string('To'),
    mode: params.string('Mode'),
    attributes: params.string('Attributes'),
    priority: params.int('Priority'),
  });
  return transferPayload(transfer, taskSid);
});

on('POST', 'Workspaces/:ws/Workers/:wk/Transfers/:tt', async ({ api, scope, request, at }) => {
  scope.worker(at.ws!, at.wk!);
  await wireContext(api, at.ws!);
  const status = request.params.string('TransferStatus');
  if (status !== 'canceled') throw badRequest(`TransferStatus must be canceled, got '${status ?? ''}'`);
  const { transfer, taskSid } = await api.engine.cancelTransfer(at.ws!, at.wk!, at.tt!, request.params.string('TaskSid'));
  return transferPayload(transfer, taskSid);
});

// Workspace and Supervisor: workspace-wide reads and the supervise instruction, for admin tokens only.

on('GET', 'Workspaces/:ws/Workers', async ({ api, scope, request, at }) => {
  scope.admin(at.ws!);
  const ctx = await wireContext(api, at.ws!);
  return bridgePage(await findWorkers(api.engine, ctx, request.params), request.params, (w) => workerPayload(w, ctx));
});

on('GET', 'Workspaces/:ws/TaskQueues', async ({ api, scope, request, at }) => {
  scope.admin(at.ws!);
  const ctx = await wireContext(api, at.ws!);
  const name = request.params.string('FriendlyName');
  const workerSid = request.params.string('WorkerSid');
  const worker = workerSid === undefined ? null : await existing(api, at.ws!, 'worker', workerSid);
  const queues = [...ctx.config.queues.values()].filter(
    (q) => (name === undefined || q.friendlyName === name) && (!worker || worker.queueSids.includes(q.sid)),
  );
  return bridgePage(queues, request.params, (q) => taskQueuePayload(q, ctx));
});

on('GET', 'Workspaces/:ws/TaskQueues/:wq', async ({ api, scope, at }) => {
  scope.admin(at.ws!);
  const ctx = await wireContext(api, at.ws!);
  const queue = ctx.config.queues.get(at.wq!);
  if (!queue) throw notFound(`The requested resource /Workspaces/${at.ws}/TaskQueues/${at.wq} was not found`);
  return taskQueuePayload(queue, ctx);
});

on('GET', 'Workspaces/:ws/Tasks', async ({ api, scope, request, at }) => {
  scope.admin(at.ws!);
  const ctx = await wireContext(api, at.ws!);
  return bridgePage(await findTasks(api.engine, ctx, request.params), request.params, (t) => taskPayload(t, ctx));
});

on('POST', 'Workspaces/:ws/Tasks/:wt/Reservations/:wr', async ({ api, scope, request, ifMatch, at }) => {
  scope.admin(at.ws!);
  const input = reservationUpdateInput(request.params, ifMatch);
  await existing(api, at.ws!, 'task', at.wt!);
  const reservation = await api.engine.updateReservation(at.ws!, { taskSid: at.wt! }, at.wr!, input);
  const ctx = await wireContext(api, at.ws!);
  return reservationPayload(reservation, await api.engine.store.get(at.ws!, 'task', reservation.taskSid), ctx, false);
});

// Task.updateParticipant, Task.hold, Task.kick and Reservation.updateParticipant (API v2): the participants of the
// conference a task's call is in, changed by the voice connector. A worker acts through its own path only, and on a
// task it holds a reservation for.

on('POST', 'Workspaces/:ws/Workers/:wk/CustomerParticipant', async (call) => {
  const { task, controls } = await conferenceTask(call);
  await controls.holdCustomer(call.at.ws!, task, participantHold(call.request.params));
  return taskPayload(await existing(call.api, call.at.ws!, 'task', task.sid), await wireContext(call.api, call.at.ws!));
});

on('POST', 'Workspaces/:ws/Workers/:wk/HoldWorkerParticipant', async (call) => {
  const { task, controls } = await conferenceTask(call);
  await controls.holdWorker(call.at.ws!, task, required(call.request.params, 'TargetWorkerSid'), participantHold(call.request.params));
  return taskPayload(await existing(call.api, call.at.ws!, 'task', task.sid), await wireContext(call.api, call.at.ws!));
});

on('POST', 'Workspaces/:ws/Workers/:wk/KickWorkerParticipant', async (call) => {
  const { task, controls } = await conferenceTask(call);
  await controls.kickWorker(call.at.ws!, task, required(call.request.params, 'TargetWorkerSid'));
  return taskPayload(await existing(call.api, call.at.ws!, 'task', task.sid), await wireContext(call.api, call.at.ws!));
});

on('POST', 'Workspaces/:ws/Workers/:wk/WorkerParticipant', async ({ api, scope, request, at, conferences }) => {
  scope.worker(at.ws!, at.wk!);
  const reservation = await workersReservation(api, { ...at, wr: required(request.params, 'ReservationSid') });
  const task = await existing(api, at.ws!, 'task', reservation.taskSid);
  const changes = {
    muted: request.params.bool('Mute'),
    endConferenceOnExit: request.params.bool('EndConferenceOnExit'),
    beepOnExit: request.params.bool('BeepOnExit'),
  };
  await controlsOf(conferences).updateWorker(at.ws!, task, reservation, changes);
  return reservationPayload(reservation, task, await wireContext(api, at.ws!), false);
});

/** The request's `TaskSid`, once the token may act on it through the path's worker. */
async function conferenceTask({ api, scope, request, at, conferences }: BridgeCall): Promise<{ task: TaskRecord; controls: ConferenceControls }> {
  scope.worker(at.ws!, at.wk!);
  const taskSid = required(request.params, 'TaskSid');
  await scope.task(at.ws!, taskSid, (workerSid) => holdsReservation(api.engine, at.ws!, taskSid, workerSid));
  const task = await existing(api, at.ws!, 'task', taskSid);
  return { task, controls: controlsOf(conferences) };
}

function controlsOf(conferences: ConferenceControls | null): ConferenceControls {
  if (!conferences) throw badRequest('Conference participants need the voice connector placing calls, and none is configured on this server');
  return conferences;
}

function participantHold(params: TwilioParams): ParticipantHold {
  const hold = params.bool('Hold');
  if (hold === undefined) throw badRequest('Hold is required');
  const holdUrl = params.string('HoldUrl');
  if (holdUrl !== undefined && !/^https?:\/\/\S+$/i.test(holdUrl)) throw badRequest(`HoldUrl must be an http or https URL, got '${holdUrl}'`);
  return { hold, holdUrl, holdMethod: params.oneOf('HoldMethod', ['GET', 'POST']) };
}

function required(params: TwilioParams, name: string): string {
  const value = params.string(name);
  if (value === undefined || value === '') throw badRequest(`${name} is required`);
  return value;
}

async function existing<K extends 'worker' | 'task'>(api: ApiContext, ws: string, kind: K, sid: string) {
  const record = await api.engine.store.get(ws, kind, sid);
  if (!record) throw notFound(`The requested resource /Workspaces/${ws}/${kind === 'worker' ? 'Workers' : 'Tasks'}/${sid} was not found`);
  return record;
}

/** The path's reservation, when it is the path's worker's; 404 otherwise, as for any resource not found. */
async function workersReservation(api: ApiContext, at: Record<string, string>): Promise<ReservationRecord> {
  const reservation = await api.engine.store.get(at.ws!, 'reservation', at.wr!);
  if (!reservation || reservation.workerSid !== at.wk) {
    throw notFound(`The requested resource /Workspaces/${at.ws}/Workers/${at.wk}/Reservations/${at.wr} was not found`);
  }
  return reservation;
}

async function tasksOf(api: ApiContext, ws: string, reservations: ReservationRecord[]) {
  const sids = [...new Set(reservations.map((r) => r.taskSid))];
  const tasks = await Promise.all(sids.map((sid) => api.engine.store.get(ws, 'task', sid)));
  return new Map(tasks.flatMap((t) => (t ? [[t.sid, t] as const] : [])));
}

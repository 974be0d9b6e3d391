import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import type { ReservationRecord, ReservationStatus, TaskRecord } from '../../core/model.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { reservationUpdateInput } from '../wire/commands.js';
import { ifMatch } from '../wire/etag.js';
import { TwilioParams } from '../wire/params.js';
import { serializeReservation, type ReservationPath } from '../wire/serialize/index.js';
import { sendList, sendRecord } from './respond.js';
import { requireTask } from './tasks.js';
import { requireWorker } from './workers.js';

const RESERVATION_STATUSES: readonly ReservationStatus[] = ['pending', 'accepted', 'rejected', 'timeout', 'canceled', 'rescinded', 'wrapping', 'completed'];

/**
 * Reservations reached through their task (`/Tasks/{WT}/Reservations[/{WR}]`) or their worker
 * (`/Workers/{WK}/Reservations[/{WR}]`). Both read the same records; the owner in the path must match.
 */
export function reservationsRouter(api: ApiContext, via: ReservationPath): Router {
  const router = Router({ mergeParams: true });
  const ownerParam = via === 'task' ? 'wt' : 'wk';
  const owns = (r: ReservationRecord, owner: string) => (via === 'task' ? r.taskSid === owner : r.workerSid === owner);

  router.get('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const owner = pathParam(req, ownerParam);
    const query = TwilioParams.of(req.query);
    const status = query.oneOf('ReservationStatus', RESERVATION_STATUSES);
    const workerSid = query.string('WorkerSid');
    const ctx = await wireContext(api, ws);
    const task = await requireOwner(api, via, ws, owner);
    const reservations = (await api.engine.reservationsOf(ws, task ? { task } : { workerSid: owner })).filter(
      (r) => (status === undefined || r.status === status) && (workerSid === undefined || r.workerSid === workerSid),
    );
    sendList(req, res, ctx, 'reservations', reservations, (r) => serializeReservation(r, via, ctx));
  });

  router.get('/:wr', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const owner = pathParam(req, ownerParam);
    const sid = pathParam(req, 'wr');
    const ctx = await wireContext(api, ws);
    await requireOwner(api, via, ws, owner);
    const reservation = await api.engine.store.get(ws, 'reservation', sid);
    if (!reservation || !owns(reservation, owner)) throw notFound(`The requested resource ${req.originalUrl.split('?')[0]} was not found`);
    sendRecord(res, 200, serializeReservation(reservation, via, ctx), reservation);
  });

  router.post('/:wr', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const owner = pathParam(req, ownerParam);
    const body = TwilioParams.of(req.body);
    const input = reservationUpdateInput(body, ifMatch(req));
    await wireContext(api, ws);
    await requireOwner(api, via, ws, owner);
    const reservation = await api.engine.updateReservation(ws, via === 'task' ? { taskSid: owner } : { workerSid: owner }, pathParam(req, 'wr'), input);
    sendRecord(res, 200, serializeReservation(reservation, via, await committedContext(api, ws)), reservation);
  });

  return router;
}

/** 404 unless the task or worker the path names exists; the task, when it is a task. */
async function requireOwner(api: ApiContext, via: ReservationPath, ws: string, sid: string): Promise<TaskRecord | null> {
  if (via === 'task') return requireTask(api, ws, sid);
  await requireWorker(api, ws, sid);
  return null;
}
